#include "traces/torchscript/torchscript.h"

#include <filesystem>

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
    if (s.expanded) throw UsageError(where + "the model returns an expanded tensor");
    out.push_back(ts::torch_sizes(w, s));
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

namespace {

// The IR input and the value bound to the graph input: an NCHW image (N, C, H, W) -> NHWC; token ids [B, S] ->
// (B, 1, S, 1); a sequence [B, S, D] -> (B, 1, S, D).
ts::Sym bind_input(Network& net, const std::vector<int64_t>& s, int64_t batch) {
  if (s.size() == 4) return ts::Sym::of_layer(net.add_input("input", {batch, s[2], s[3], s[1]}), 4);
  if (s.size() == 2) return ts::Sym::of_view(net.add_input("input", {batch, 1, s[1], 1}), {batch, s[1]}, {0, 1});
  return ts::Sym::of_view(net.add_input("input", {batch, 1, s[1], s[2]}), {batch, s[1], s[2]}, {0, 1, 2});
}

bool unsupported_op(const std::string& what) { return what.find(": unsupported op '") != std::string::npos; }

}  // namespace

Network import_torchscript(const std::string& path, const TorchScriptOptions& options) {
  const std::string where = "torchscript " + path + ": ";
  const std::vector<int64_t>& s = options.input_shape;
  if (s.size() < 2 || s.size() > 4) {
    throw UsageError(where + "the input shape must be N,C,H,W (or B,S token ids, or B,S,D)");
  }
  const ts::TsGraph graph = ts::load_graph(path);
  Network net(std::filesystem::path(path).stem().string(), options.dtype);
  const int64_t batch = options.batch > 0 ? options.batch : s[0];
  ts::Walker walker(graph, net, path);
  try {
    walker.run_with(bind_input(net, s, batch));
    std::vector<std::vector<int64_t>> ours;
    for (int v : graph.outputs) output_sizes(walker, walker.value(v), where, ours);
  } catch (const UsageError& e) {
    // An op the IR lacks fails at once. Any other failure may be an input shape the model itself rejects: only
    // then does the model run (batch 1, bounded), so that the user reads the model's own message.
    if (unsupported_op(e.what())) throw;
    ts::ChildLimits limits;
    limits.seconds = options.forward_timeout_s;
    ts::forward_sizes(path, s, limits);
    throw;
  }
  return net;
}

}  // namespace rp::traces
