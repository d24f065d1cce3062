// `ridgepoint sensitivity MODEL|FILE --accel NAME|FILE`: elasticity of latency (and energy) to every numeric
// hardware key, ranked (accel_models/sensitivity.h).
#include <ostream>

#include "accel_models/config/accelerator_config.h"
#include "accel_models/sensitivity.h"
#include "experiments/cli/accel_options.h"
#include "experiments/cli/command.h"
#include "experiments/cli/model_source.h"
#include "experiments/cli/options.h"
#include "experiments/cli/sensitivity_output.h"
#include "simulator/error.h"

namespace rp::cli {

int cmd_sensitivity(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  add_accel_options(desc);
  add_model_options(desc);
  desc.add_options()("resolution,r", po::value<int>()->default_value(0), "input resolution (0: the model's own)")(
      "step", po::value<double>()->default_value(0.1, "0.1"), "relative step down and up, in (0, 1): 0.1 is 10%")(
      "key", po::value<std::vector<std::string>>()->composing(),
      "analyse only this key (repeatable; default: every numeric hardware key)")(
      "top", po::value<int>()->default_value(0), "show the first N rows of the table (0: all; --json gives all)")(
      "json", "print one JSON object");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (parse_options("sensitivity",
                    "ridgepoint sensitivity MODEL|FILE|F.pt|F.onnx [--accel NAME|FILE] [--batch B] [--resolution R] "
                    "[--seq-len S] [--set key=value ...] [--step 0.1] [--key K ...] [--top N] [--json]",
                    args, desc, pos, vm, out)) {
    return 0;
  }
  const int top = vm["top"].as<int>();
  if (top < 0) throw UsageError("sensitivity: --top must be >= 0, got " + std::to_string(top));
  accel::SensitivityOptions options;
  options.step = vm["step"].as<double>();
  if (!(options.step > 0 && options.step < 1)) {
    throw UsageError("sensitivity: --step must be in (0, 1) (a relative change: 0.1 is 10%), got " +
                     accel::format_number(options.step));
  }
  if (vm.count("key")) options.keys = vm["key"].as<std::vector<std::string>>();
  Target target = load_target(vm, "sensitivity");
  target.build.resolution = vm["resolution"].as<int>();
  read_seq_len(vm, target.build, "sensitivity");
  const accel::AcceleratorConfig config = load_config(vm);
  const LoadedNetwork loaded = load_network(vm, target.build, target.acc->info().name);
  const accel::Sensitivity s = accel::sensitivity(config, loaded.net, options);
  const SensitivityRun run{loaded.net.name(), target.acc->info().name, target.acc->info().label, loaded.net.batch(),
                           loaded.batch_rule};
  if (vm.count("json")) {
    out << sensitivity_json(s, run).dump(2) << "\n";
  } else {
    print_sensitivity(out, s, run, top);
  }
  return 0;
}

}  // namespace rp::cli
