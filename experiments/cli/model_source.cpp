#include "experiments/cli/model_source.h"

#include <string>

#include "simulator/error.h"
#include "traces/torchscript/torchscript.h"

namespace rp::cli {
namespace {

constexpr const char* kDefaultInputShape = "1,3,224,224";

traces::Network load_torchscript(const po::variables_map& vm, const traces::BuildOptions& opt) {
  if (vm.count("model")) throw UsageError("give either a MODEL or --torchscript FILE, not both");
  traces::TorchScriptOptions t;
  t.input_shape = traces::parse_input_shape(vm.count("input-shape") ? vm["input-shape"].as<std::string>()
                                                                     : kDefaultInputShape);
  if (opt.resolution > 0) t.input_shape[2] = t.input_shape[3] = opt.resolution;
  if (vm.count("batch") && !vm["batch"].defaulted()) t.batch = opt.batch;
  t.dtype = opt.dtype;
  return traces::import_torchscript(vm["torchscript"].as<std::string>(), t);
}

}  // namespace

void add_model_options(po::options_description& desc) {
  desc.add_options()
    ("model", po::value<std::string>(), "zoo model name or YAML network file")
    ("torchscript", po::value<std::string>(), "a TorchScript model file (.pt) instead of MODEL")
    ("input-shape", po::value<std::string>(),
     "input N,C,H,W of the --torchscript model (default 1,3,224,224; --batch overrides N, --resolution H and W)");
}

traces::Network load_network(const po::variables_map& vm, const traces::BuildOptions& opt) {
  if (vm.count("torchscript")) return load_torchscript(vm, opt);
  if (vm.count("input-shape")) throw UsageError("--input-shape applies only to a --torchscript model");
  if (!vm.count("model")) throw UsageError("no model given (a zoo name, a YAML network file or --torchscript FILE)");
  return traces::build_model(vm["model"].as<std::string>(), opt);
}

}  // namespace rp::cli
