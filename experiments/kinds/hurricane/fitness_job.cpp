#include "experiments/kinds/hurricane/fitness_job.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "traces/zoo/layerwise_net.h"

namespace rp::hurricane {
namespace {

std::vector<traces::OpSpec> ops_of(const Choices& choices, const Arch& a) {
  std::vector<traces::OpSpec> ops;
  for (size_t i = 0; i < choices.size(); ++i) ops.push_back(traces::parse_op(choices[i].at(static_cast<size_t>(a.at(i)))));
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

traces::Network proxy_candidate(const Choices& choices, const Arch& a, double width) {
  return traces::layerwise_network("proxy", proxy(choices, width), ops_of(choices, a), 1, traces::DType::kF32);
}

traces::Network imagenet_candidate(const Choices& choices, const Arch& a, int resolution, int64_t batch,
                                   traces::DType dtype, const std::string& name) {
  traces::Skeleton sk = traces::default_skeleton(static_cast<int>(choices.size()));
  sk.resolution = resolution;
  return traces::layerwise_network(name, sk, ops_of(choices, a), batch, dtype);
}

std::string FitnessRequest::encode() const {
  return nlohmann::json{{"weights", weights}, {"choices", choices}, {"width", width}, {"arch", arch},
                        {"val", val_images}, {"bn", bn_images}}
      .dump();
}

FitnessRequest FitnessRequest::decode(const std::string& line) {
  try {
    const auto j = nlohmann::json::parse(line);
    FitnessRequest r;
    r.weights = j.at("weights").get<std::string>();
    r.choices = j.at("choices").get<Choices>();
    r.width = j.at("width").get<double>();
    r.arch = j.at("arch").get<Arch>();
    r.val_images = j.at("val").get<int64_t>();
    r.bn_images = j.at("bn").get<int64_t>();
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("malformed fitness request: ") + e.what());
  }
}

std::string FitnessWorker::operator()(const std::string& request) {
  const FitnessRequest r = FitnessRequest::decode(request);
  const std::string key = r.weights + "|" + nlohmann::json(r.choices).dump() + "|" + exact_text(r.width);
  if (key != key_ || !net_) {
    net_ = std::make_unique<Supernet>(supernet_spec(r.choices, r.width), 0);
    net_->load_weights(r.weights);
    key_ = key;
  }
  return exact_text(net_->evaluate(r.arch, data_, r.val_images, r.bn_images));
}

std::string exact_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace rp::hurricane
