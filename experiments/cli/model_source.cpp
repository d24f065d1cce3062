#include "experiments/cli/model_source.h"

#include <string>

#include "experiments/cli/torch_seam.h"
#include "simulator/error.h"

namespace rp::cli {

void add_model_options(po::options_description& desc) {
  desc.add_options()("model", po::value<std::string>(), "zoo model name or YAML network file")(
      "torchscript", po::value<std::string>(), "a TorchScript model file (.pt) instead of MODEL")(
      "input-shape", po::value<std::string>(),
      "input N,C,H,W of the --torchscript model (default 1,3,224,224; --batch overrides N, --resolution H and W)")(
      "torchscript-timeout", po::value<double>(),
      "seconds the --torchscript model's forward() may take at batch 1, the shape check (default 60)");
}

traces::Network load_network(const po::variables_map& vm, const traces::BuildOptions& opt) {
  if (vm.count("torchscript")) return load_torchscript_model(vm, opt);  // LibTorch: through torch_seam.h
  if (vm.count("input-shape")) throw UsageError("--input-shape applies only to a --torchscript model");
  if (vm.count("torchscript-timeout")) throw UsageError("--torchscript-timeout applies only to a --torchscript model");
  if (!vm.count("model")) throw UsageError("no model given (a zoo name, a YAML network file or --torchscript FILE)");
  return traces::build_model(vm["model"].as<std::string>(), opt);
}

}  // namespace rp::cli
