// load_torchscript_model (torch_seam.h) in ridgepoint-torch: a --torchscript model imported with LibTorch.
#include <sstream>

#include "experiments/cli/torch_seam.h"
#include "simulator/error.h"
#include "traces/torchscript/torchscript.h"

namespace rp::cli {
namespace {

constexpr const char* kDefaultInputShape = "1,3,224,224";

}  // namespace

traces::Network load_torchscript_model(const po::variables_map& vm, const traces::BuildOptions& opt) {
  if (vm.count("model")) throw UsageError("give either a MODEL or --torchscript FILE, not both");
  traces::TorchScriptOptions t;
  t.input_shape =
      traces::parse_input_shape(vm.count("input-shape") ? vm["input-shape"].as<std::string>() : kDefaultInputShape);
  if (opt.resolution > 0) t.input_shape[2] = t.input_shape[3] = opt.resolution;
  if (vm.count("batch") && !vm["batch"].defaulted()) t.batch = opt.batch;
  t.dtype = opt.dtype;
  if (vm.count("torchscript-timeout")) {
    t.forward_timeout_s = vm["torchscript-timeout"].as<double>();
    if (!(t.forward_timeout_s > 0 && t.forward_timeout_s <= 86400)) {
      std::ostringstream got;
      got << t.forward_timeout_s;
      throw UsageError("--torchscript-timeout must be in (0, 86400] seconds, got " + got.str());
    }
  }
  return traces::import_torchscript(vm["torchscript"].as<std::string>(), t);
}

}  // namespace rp::cli
