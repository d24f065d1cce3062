#include "experiments/cli/model_source.h"

#include <sstream>
#include <string>

#include "experiments/kinds/model_files.h"
#include "simulator/error.h"

namespace rp::cli {
namespace {

bool given(const po::variables_map& vm, const char* name) { return vm.count(name) && !vm[name].defaulted(); }

bool imp_is_torchscript(const std::string& spec) {
  const kinds::Importer* imp = kinds::importer_for(spec);
  return imp && imp->import == kinds::import_torchscript_file;
}

kinds::ImportOptions import_options(const po::variables_map& vm) {
  kinds::ImportOptions o;
  if (vm.count("input-shape")) o.input_shape = kinds::parse_input_shape(vm["input-shape"].as<std::string>());
  if (vm.count("torchscript-timeout")) o.timeout_s = vm["torchscript-timeout"].as<double>();
  if (!(o.timeout_s > 0 && o.timeout_s <= 86400)) {
    std::ostringstream got;
    got << o.timeout_s;
    throw UsageError("--torchscript-timeout must be in (0, 86400] seconds, got " + got.str());
  }
  return o;
}

}  // namespace

void add_import_options(po::options_description& desc) {
  desc.add_options()("input-shape", po::value<std::string>(),
                     "input N,C,H,W of an imported model (.pt, .onnx; default 1,3,224,224): N is the batch unless "
                     "--batch is given, --resolution replaces H and W")(
      "torchscript-timeout", po::value<double>(),
      "seconds a TorchScript model's forward() may take at batch 1, the shape check (default 60)")(
      "seq-len", po::value<long long>(), "sequence length of a sequence model (default: the model's own)");
}

void add_model_options(po::options_description& desc) {
  desc.add_options()("model", po::value<std::string>(), "zoo model name, YAML network file or model file (.pt, .onnx)")(
      "torchscript", po::value<std::string>(), "a TorchScript model file (.pt): the same as giving it as MODEL");
  add_import_options(desc);
}

void read_seq_len(const po::variables_map& vm, traces::BuildOptions& opt, const std::string& command) {
  opt.seq_len = vm.count("seq-len") ? vm["seq-len"].as<long long>() : 0;
  if (vm.count("seq-len") && opt.seq_len < 1) {
    throw UsageError(command + ": --seq-len must be >= 1, got " + std::to_string(opt.seq_len));
  }
  traces::check_build_options(opt, command + ": --batch", command + ": --resolution", command + ": --seq-len");
}

LoadedNetwork load_spec(const po::variables_map& vm, const std::string& spec, traces::BuildOptions opt,
                        const std::string& default_of, bool shared, bool torchscript) {
  const kinds::Importer* forced = torchscript ? &kinds::importer_of(".pt") : nullptr;
  const bool imported = forced || kinds::importer_for(spec);
  if (!imported && !shared && vm.count("input-shape")) {
    throw UsageError("--input-shape applies only to an imported model (.pt, .onnx), not to " + spec);
  }
  if (!(forced || imp_is_torchscript(spec)) && !shared && vm.count("torchscript-timeout")) {
    throw UsageError("--torchscript-timeout applies only to a TorchScript model (.pt), not to " + spec);
  }
  const kinds::ImportOptions import = import_options(vm);
  std::string flag = given(vm, "batch") ? "--batch" : "";
  if (flag.empty() && imported && !import.input_shape.empty()) {
    opt.batch = import.input_shape[0];
    flag = "--input-shape";
  }
  traces::Network net = kinds::build_any(spec, opt, import, forced);
  return {std::move(net), kinds::batch_rule(opt.batch, flag, default_of)};
}

LoadedNetwork load_network(const po::variables_map& vm, const traces::BuildOptions& opt,
                           const std::string& default_of) {
  if (vm.count("torchscript") && vm.count("model"))
    throw UsageError("give either a MODEL or --torchscript FILE, not both");
  if (vm.count("torchscript")) return load_spec(vm, vm["torchscript"].as<std::string>(), opt, default_of, false, true);
  if (!vm.count("model")) throw UsageError("no model given (a zoo name, a YAML network file or a .pt / .onnx file)");
  return load_spec(vm, vm["model"].as<std::string>(), opt, default_of);
}

}  // namespace rp::cli
