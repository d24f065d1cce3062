#include "traces/onnx/onnx_import.h"

#include <filesystem>
#include <stdexcept>

#include "simulator/error.h"
#include "traces/onnx/onnx_loader.h"
#include "traces/onnx/onnx_translate.h"
#include "traces/torchscript/walker.h"
#include "traces/zoo/zoo.h"

namespace rp::traces {
namespace {

// The walker words its errors for TorchScript ("torchscript FILE: ..."); an ONNX import says "onnx FILE: ...".
[[noreturn]] void rethrow_as_onnx(const UsageError& e, const std::string& path) {
  const std::string what = e.what();
  const std::string ts = "torchscript " + path + ": ";
  if (what.rfind(ts, 0) == 0) throw UsageError("onnx " + path + ": " + what.substr(ts.size()));
  throw e;
}

void check_input(const onnx::OxModel& m, const std::string& where, int64_t batch) {
  const auto& d = m.input_dims;
  if (d.size() != 4) {
    throw UsageError(where + "input '" + m.input + "' has rank " + std::to_string(d.size()) +
                     ", expected an N,C,H,W image");
  }
  if (batch > kMaxBatch || d[1] > kMaxFilters || d[2] > kMaxResolution || d[3] > kMaxResolution) {
    throw UsageError(where + "input '" + m.input + "': N must be <= " + std::to_string(kMaxBatch) +
                     ", C <= " + std::to_string(kMaxFilters) + ", H and W <= " + std::to_string(kMaxResolution));
  }
}

// The graph outputs' sizes as ONNX inferred them, the model's batch moved to `batch`.
std::vector<std::vector<int64_t>> expected_outputs(const onnx::OxModel& m, int64_t batch) {
  std::vector<std::vector<int64_t>> out;
  for (const std::string& o : m.outputs) {
    auto it = m.shapes.find(o);
    if (it == m.shapes.end()) return {};
    std::vector<int64_t> s = it->second;
    if (!s.empty() && s[0] == m.input_dims[0]) s[0] = batch;
    out.push_back(s);
  }
  return out;
}

}  // namespace

bool is_onnx_path(const std::string& model) {
  return model.size() > 5 && model.compare(model.size() - 5, 5, ".onnx") == 0;
}

Network import_onnx(const std::string& path, const OnnxOptions& options) {
  const std::string where = "onnx " + path + ": ";
  const onnx::OxModel m = onnx::load_onnx(path, options.resolution, [&path](const onnx::OxModel& model) {
    return onnx::folded_for_inference(model, path);
  });
  const int64_t batch = options.batch > 0 ? options.batch : m.input_dims.empty() ? 1 : m.input_dims[0];
  check_input(m, where, batch);
  const ts::TsGraph graph = onnx::translate(m, path, batch);

  Network net(std::filesystem::path(path).stem().string(), options.dtype);
  const auto& d = m.input_dims;
  const int input = net.add_input("input", {batch, d[2], d[3], d[1]});
  ts::Walker walker(graph, net, path);
  try {
    walker.run(input);
  } catch (const UsageError& e) {
    rethrow_as_onnx(e, path);
  }
  std::vector<std::vector<int64_t>> ours;
  for (int v : graph.outputs) {
    const ts::Sym& s = walker.value(v);
    if (s.kind != ts::Sym::Kind::kLayer)
      throw UsageError(where + "the model returns " + s.describe() + ", expected tensors");
    // A view of the new ops carries its PyTorch sizes; the legacy layouts (NCHW images, N x F) are read back.
    ours.push_back(!s.dims.empty() ? s.dims : ts::torch_sizes(net.layer(s.layer).output, s.rank));
  }
  const std::vector<std::vector<int64_t>> theirs = expected_outputs(m, batch);
  if (!theirs.empty() && ours != theirs) {
    std::string got, want;
    for (const auto& o : ours) got += ts::sizes_str(o);
    for (const auto& o : theirs) want += ts::sizes_str(o);
    throw std::runtime_error(where + "imported output shape " + got + " differs from ONNX's inferred " + want +
                             " (an importer bug: please report it)");
  }
  return net;
}

}  // namespace rp::traces
