#include "experiments/kinds/model_files.h"

#include <sstream>

#include "experiments/run/identity.h"
#include "simulator/error.h"
#include "traces/onnx/onnx_import.h"
#include "traces/zoo/layer_list.h"

namespace rp::kinds {
namespace {

// ONNX needs no LibTorch: imported in this process. The model's input gives C, H and W; --input-shape may set
// the batch (N) and the resolution (H, which must equal W), as it does for TorchScript.
traces::Network import_onnx_file(const std::string& file, const ImportOptions& o) {
  traces::OnnxOptions x;
  x.batch = o.batch > 0 ? o.batch : (o.input_shape.empty() ? 1 : o.input_shape[0]);
  x.resolution = o.resolution;
  if (x.resolution == 0 && !o.input_shape.empty()) {
    if (o.input_shape[2] != o.input_shape[3]) {
      throw UsageError(file + ": --input-shape " + std::to_string(o.input_shape[2]) + " x " +
                       std::to_string(o.input_shape[3]) +
                       ": an ONNX model's H and W are set together (H must equal W)");
    }
    x.resolution = o.input_shape[2];
  }
  x.dtype = o.dtype;
  return traces::import_onnx(file, x);
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A sequence model rebuilt from a list keeps its own length; asking another is an error, not a silent default.
void check_seq_len(const traces::Network& net, const std::string& spec, int64_t seq_len) {
  if (net.seq_len() > 0 && seq_len > 0 && seq_len != net.seq_len()) {
    throw UsageError(spec + ": sequence length " + std::to_string(seq_len) + " asked, but the imported model's is " +
                     std::to_string(net.seq_len()) + " (its input shape fixes it)");
  }
}

ImportOptions at(ImportOptions o, const traces::BuildOptions& b) {
  if (b.resolution > 0) o.resolution = b.resolution;
  o.dtype = b.dtype;
  return o;
}

}  // namespace

const std::vector<Importer>& importers() {
  static const std::vector<Importer> table = {
      {".pt", "TorchScript", import_torchscript_file},
      {".pth", "TorchScript", import_torchscript_file},
      {".ptl", "TorchScript", import_torchscript_file},
      {".onnx", "ONNX", import_onnx_file},
  };
  return table;
}

const Importer* importer_for(const std::string& spec) {
  for (const auto& i : importers()) {
    if (ends_with(spec, i.extension)) return &i;
  }
  return nullptr;
}

const Importer& importer_of(const std::string& extension) {
  for (const auto& i : importers()) {
    if (extension == i.extension) return i;
  }
  throw std::out_of_range("no importer for " + extension);
}

std::vector<int64_t> parse_input_shape(const std::string& text, const std::string& what) {
  std::vector<int64_t> dims;
  std::istringstream in(text);
  std::string item;
  bool ok = !text.empty() && text.back() != ',';
  while (ok && std::getline(in, item, ',')) {
    size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    ok = !item.empty() && used == item.size() && v >= 1 && v <= (1ll << 31);
    dims.push_back(v);
  }
  if (!ok || dims.size() != 4) {
    throw UsageError(what + " '" + text + "': expected N,C,H,W (four positive integers, e.g. 1,3,224,224)");
  }
  // The limits of every other model source (traces/zoo/zoo.h, docs/models.md "Input limits").
  if (dims[0] > traces::kMaxBatch || dims[1] > traces::kMaxFilters || dims[2] > traces::kMaxResolution ||
      dims[3] > traces::kMaxResolution) {
    throw UsageError(what + " '" + text + "': N must be <= " + std::to_string(traces::kMaxBatch) + ", C <= " +
                     std::to_string(traces::kMaxFilters) + ", H and W <= " + std::to_string(traces::kMaxResolution));
  }
  return dims;
}

std::string batch_rule(int64_t batch, const std::string& flag, const std::string& accelerator) {
  const std::string b = "batch " + std::to_string(batch);
  return flag.empty() ? b + ", " + accelerator + " default" : b + " from " + flag;
}

traces::Network build_any(const std::string& spec, const traces::BuildOptions& options, const ImportOptions& import,
                          const Importer* forced) {
  traces::check_build_options(options);
  const Importer* imp = forced ? forced : importer_for(spec);
  if (!imp) return traces::build_model(spec, options);
  ImportOptions o = at(import, options);
  o.batch = options.batch;
  traces::Network net = imp->import(spec, o);
  check_seq_len(net, spec, options.seq_len);
  return net;
}

traces::Network ModelCache::build(const std::string& spec, const traces::BuildOptions& options) {
  traces::check_build_options(options);
  const Importer* imp = importer_for(spec);
  if (!imp) return traces::build_model(spec, options);
  ImportOptions o = at(base_, options);
  o.batch = 1;
  o.dtype = traces::DType::kF32;
  const std::string key = spec + "|" + run::input_file("network", spec).hash + "|" + std::to_string(o.resolution);
  auto it = imported_.find(key);
  if (it == imported_.end()) {
    it = imported_.emplace(key, imp->import(spec, o)).first;
    ++imports_;
  }
  check_seq_len(it->second, spec, options.seq_len);
  try {
    return traces::rescale(it->second, options.batch, options.dtype);
  } catch (const UsageError& e) {
    throw UsageError(spec + ": " + e.what());
  }
}

}  // namespace rp::kinds
