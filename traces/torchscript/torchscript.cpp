#include "traces/torchscript/torchscript.h"

#include <filesystem>
#include <stdexcept>

#include "simulator/error.h"
#include "traces/torchscript/ts_loader.h"
#include "traces/torchscript/walker.h"
#include "traces/zoo/zoo.h"

namespace rp::traces {
namespace {

// PyTorch sizes of the tensors a graph output stands for (tuples and lists flattened).
void output_sizes(const ts::Walker& w, const ts::Sym& s, const std::string& where,
                  std::vector<std::vector<int64_t>>& out) {
  if (s.kind == ts::Sym::Kind::kList) {
    for (const ts::Sym& e : s.items) output_sizes(w, e, where, out);
  } else if (s.kind == ts::Sym::Kind::kNone) {
    return;  // e.g. the unused auxiliary output of a scripted GoogLeNet in eval mode
  } else if (s.kind == ts::Sym::Kind::kLayer) {
    out.push_back(ts::torch_sizes(w.shape(s.layer), s.rank));
  } else {
    throw UsageError(where + "the model returns " + s.describe() + ", expected tensors");
  }
}

}  // namespace

std::vector<int64_t> parse_input_shape(const std::string& text) {
  std::vector<int64_t> dims;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || v < 1) {
      throw UsageError("--input-shape '" + text + "': expected N,C,H,W (four positive integers, e.g. 1,3,224,224)");
    }
    dims.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (dims.size() != 4) {
    throw UsageError("--input-shape '" + text + "': expected N,C,H,W (four positive integers, e.g. 1,3,224,224)");
  }
  // The limits of every other model source (traces/zoo/zoo.h, docs/models.md "Input limits").
  if (dims[0] > kMaxBatch || dims[1] > kMaxFilters || dims[2] > kMaxResolution || dims[3] > kMaxResolution) {
    throw UsageError("--input-shape '" + text + "': N must be <= " + std::to_string(kMaxBatch) +
                     ", C <= " + std::to_string(kMaxFilters) + ", H and W <= " + std::to_string(kMaxResolution));
  }
  return dims;
}

Network import_torchscript(const std::string& path, const TorchScriptOptions& options) {
  const std::string where = "torchscript " + path + ": ";
  const std::vector<int64_t>& s = options.input_shape;
  if (s.size() != 4) throw UsageError(where + "the input shape must be N,C,H,W");
  ts::ChildLimits limits;
  limits.seconds = options.forward_timeout_s;
  const ts::LoadedModel model = ts::load_model(path, s, limits);

  Network net(std::filesystem::path(path).stem().string(), options.dtype);
  const int64_t batch = options.batch > 0 ? options.batch : s[0];
  const int input = net.add_input("input", {batch, s[2], s[3], s[1]});
  ts::Walker walker(model.graph, net, path);
  walker.run(input);

  std::vector<std::vector<int64_t>> ours;
  for (int v : model.graph.outputs) output_sizes(walker, walker.value(v), where, ours);
  // The model ran at batch 1: at `batch`, its outputs have `batch` times the first dimension.
  std::vector<std::vector<int64_t>> theirs = model.output_sizes;
  for (auto& b : theirs) {
    if (!b.empty()) b[0] *= batch;
  }
  if (ours != theirs) {
    std::string got, want;
    for (const auto& o : ours) got += ts::sizes_str(o);
    for (const auto& o : theirs) want += ts::sizes_str(o);
    throw std::runtime_error(where + "imported output shape " + got + " differs from the model's " + want +
                             " (an importer bug: please report it)");
  }
  return net;
}

}  // namespace rp::traces
