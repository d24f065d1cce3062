// libtorch_linked (kind.h) and the TorchScript importer (model_files.h) in ridgepoint-torch: the kinds that train
// are here.
#include <sstream>

#include "experiments/kinds/kind.h"
#include "experiments/kinds/model_files.h"
#include "simulator/error.h"
#include "traces/torchscript/torchscript.h"

namespace rp::kinds {

bool libtorch_linked() { return true; }

traces::Network import_torchscript_file(const std::string& file, const ImportOptions& options) {
  traces::TorchScriptOptions t;
  t.input_shape = options.input_shape.empty() ? std::vector<int64_t>{1, 3, 224, 224} : options.input_shape;
  if (options.resolution > 0) t.input_shape[2] = t.input_shape[3] = options.resolution;
  t.batch = options.batch;
  t.dtype = options.dtype;
  if (!(options.timeout_s > 0 && options.timeout_s <= 86400)) {
    std::ostringstream got;
    got << options.timeout_s;
    throw UsageError("--torchscript-timeout must be in (0, 86400] seconds, got " + got.str());
  }
  t.forward_timeout_s = options.timeout_s;
  return traces::import_torchscript(file, t);
}

}  // namespace rp::kinds
