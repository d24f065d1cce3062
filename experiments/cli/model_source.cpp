#include "experiments/cli/model_source.h"

#include <string>

#include "experiments/cli/torch_seam.h"
#include "simulator/error.h"
#include "traces/onnx/onnx_import.h"

namespace rp::cli {

namespace {

// An ONNX file (no LibTorch: imported by this executable). Like a --torchscript model, its batch is the model's own
// (its input's first dimension; a symbolic one is 1) unless --batch was given explicitly.
traces::Network load_onnx_model(const std::string& path, const po::variables_map& vm, const traces::BuildOptions& opt) {
  traces::OnnxOptions o;
  if (vm.count("batch") && !vm["batch"].defaulted()) o.batch = opt.batch;
  o.resolution = opt.resolution;
  o.dtype = opt.dtype;
  return traces::import_onnx(path, o);
}

}  // namespace

void add_model_options(po::options_description& desc) {
  desc.add_options()("model", po::value<std::string>(), "zoo model name, YAML network file or ONNX model (.onnx)")(
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
  const std::string model = vm["model"].as<std::string>();
  if (traces::is_onnx_path(model)) return load_onnx_model(model, vm, opt);
  return traces::build_model(model, opt);
}

}  // namespace rp::cli
