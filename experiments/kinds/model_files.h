#pragma once
// Networks given as files of other frameworks (docs/networks.md): one table from a file's extension to its importer,
// so a model file is accepted wherever a zoo name is (simulate, compare, info, `models:` of every kind, Python), and
// one cache that imports each file once per run.
//
// The batch rule, stated once (batch_rule() words it for every result):
//   1. --batch B (a sweep's `batch`, Python's batch=): B;
//   2. else an imported model given an input shape N,C,H,W: N;
//   3. else the accelerator's default_batch, for zoo names, network files and imported models alike.
// An imported model is imported at batch 1 and rebuilt at the batch asked by the layer list's batch rule
// (traces/zoo/layer_list.h): the batch is the outermost dimension of every tensor.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "traces/network/network.h"
#include "traces/zoo/zoo.h"

namespace rp::kinds {

constexpr double kDefaultImportTimeout = 60;  // seconds the importer may run a model at batch 1 (TorchScript)

struct ImportOptions {
  std::vector<int64_t> input_shape;  // N, C, H, W; empty: 1, 3, 224, 224
  int64_t batch = 0;                 // > 0: the network's batch (replaces N)
  int resolution = 0;                // > 0: replaces H and W
  traces::DType dtype = traces::DType::kF32;
  double timeout_s = kDefaultImportTimeout;
};

// An importer of one file format.
struct Importer {
  const char* extension;  // ".pt"
  const char* format;     // "TorchScript"
  traces::Network (*import)(const std::string& file, const ImportOptions& options);
};

// Every importer, by extension (.pt, .pth, .ptl: TorchScript; .onnx: ONNX). A new format is one line here.
const std::vector<Importer>& importers();
// The importer of `spec`'s extension, or nullptr (a zoo name or a YAML network file).
const Importer* importer_for(const std::string& spec);
// The importer of exactly `extension` (".pt"); std::out_of_range for one not in the table (a programming error).
const Importer& importer_of(const std::string& extension);

// The TorchScript importer: LibTorch in ridgepoint-torch (torch_linked.cpp); the light `ridgepoint` and the Python
// module throw NeedsLibTorch (torch_stubs.cpp), and main() hands the command line to ridgepoint-torch.
traces::Network import_torchscript_file(const std::string& file, const ImportOptions& options);

// "1,3,224,224" -> {1, 3, 224, 224}. Throws UsageError naming `what` unless it is four positive integers within
// the input limits of zoo.h (N <= kMaxBatch, C <= kMaxFilters, H and W <= kMaxResolution); the importers check the
// shape against the model.
std::vector<int64_t> parse_input_shape(const std::string& text, const std::string& what = "--input-shape");

// "batch 1 from --input-shape", "batch 32 from --batch", "batch 128, tpuv3 default" (`flag` names the option that
// gave it: "--batch", "--input-shape", "batch", "input_shape").
std::string batch_rule(int64_t batch, const std::string& flag, const std::string& accelerator);

// Zoo names, network files and imported files built at any options; each imported file is imported once per
// (path, content hash, resolution) and rebuilt at each batch and precision. Not thread-safe (one per process).
class ModelCache {
 public:
  explicit ModelCache(ImportOptions base = {}) : base_(std::move(base)) {}
  traces::Network build(const std::string& spec, const traces::BuildOptions& options);
  int64_t imports() const { return imports_; }  // files actually imported

 private:
  ImportOptions base_;
  std::map<std::string, traces::Network> imported_;  // key: path | hash | resolution
  int64_t imports_ = 0;
};

// `spec` built at `options`: a zoo name or network file (traces::build_model) or an imported file (imported now,
// by `forced` when given, whatever its extension: --torchscript FILE).
traces::Network build_any(const std::string& spec, const traces::BuildOptions& options, const ImportOptions& import,
                          const Importer* forced = nullptr);

}  // namespace rp::kinds
