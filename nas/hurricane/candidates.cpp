#include "nas/hurricane/candidates.h"

#include <algorithm>

#include "traces/zoo/layerwise_net.h"

namespace rp::hurricane {
namespace {

std::vector<traces::OpSpec> ops_of(const Choices& choices, const Arch& a) {
  std::vector<traces::OpSpec> ops;
  for (size_t i = 0; i < choices.size(); ++i)
    ops.push_back(traces::parse_op(choices[i].at(static_cast<size_t>(a.at(i)))));
  return ops;
}

traces::Skeleton proxy(const Choices& choices, double width) {
  return traces::proxy_skeleton(traces::default_skeleton(static_cast<int>(choices.size())), width);
}

}  // namespace

SupernetSpec supernet_spec(const Choices& choices, double width) {
  const traces::Skeleton sk = proxy(choices, width);
  SupernetSpec s;
  s.stem = traces::stem_network(sk, 1, traces::DType::kF32);
  for (const traces::Slot& slot : traces::slots(sk)) {
    s.layers.emplace_back();
    for (const auto& op : choices[static_cast<size_t>(slot.index)]) {
      s.layers.back().push_back(traces::op_network(sk, slot, traces::parse_op(op), 1, traces::DType::kF32));
    }
  }
  s.head = traces::head_network(sk, 1, traces::DType::kF32);
  return s;
}

traces::Network proxy_candidate(const Choices& choices, const Arch& a, double width, const traces::FashionMnist& data) {
  const int classes = 1 + *std::max_element(data.train.labels.begin(), data.train.labels.end());
  const traces::Skeleton sk = traces::proxy_skeleton(traces::default_skeleton(static_cast<int>(choices.size())), width,
                                                     data.train.rows, data.train.channels, classes);
  return traces::layerwise_network("proxy", sk, ops_of(choices, a), 1, traces::DType::kF32);
}

traces::Network imagenet_candidate(const Choices& choices, const Arch& a, int resolution, int64_t batch,
                                   traces::DType dtype, const std::string& name) {
  traces::Skeleton sk = traces::default_skeleton(static_cast<int>(choices.size()));
  sk.resolution = resolution;
  return traces::layerwise_network(name, sk, ops_of(choices, a), batch, dtype);
}

}  // namespace rp::hurricane
