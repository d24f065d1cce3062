#include "experiments/cli/accel_options.h"

#include "accel_models/common/registry.h"
#include "simulator/error.h"

namespace rp::cli {

void add_accel_options(po::options_description& desc) {
  desc.add_options()("accel,a", po::value<std::string>()->default_value("tpuv3"),
                     "accelerator: built-in name or YAML file")(
      "batch,b", po::value<long long>(), "batch size, >= 1 (default: the accelerator's default_batch)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override an accelerator parameter: key=value (repeatable)");
}

Target load_target(const po::variables_map& vm, const std::string& command) {
  // A given --batch is checked before the accelerator loads; 0 is refused like any other bad value. Absent: the
  // accelerator's default_batch.
  if (vm.count("batch")) {
    const long long b = vm["batch"].as<long long>();
    if (b < 1) throw UsageError(command + ": --batch must be >= 1, got " + std::to_string(b));
    if (b > traces::kMaxBatch) {
      throw UsageError(command + ": --batch must be <= " + std::to_string(traces::kMaxBatch) + ", got " +
                       std::to_string(b));
    }
  }
  const auto sets = vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
  Target t;
  t.acc = accel::make_accelerator(vm["accel"].as<std::string>(), sets);
  t.build.batch = vm.count("batch") ? vm["batch"].as<long long>() : t.acc->info().default_batch;
  t.build.dtype = t.acc->info().precision;
  return t;
}

accel::AcceleratorConfig load_config(const po::variables_map& vm) {
  const auto sets = vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
  return accel::AcceleratorConfig::load(vm["accel"].as<std::string>()).with_text(sets);
}

}  // namespace rp::cli
