// `ridgepoint simulate MODEL|FILE --accel NAME|FILE`: latency, utilization, contention and roofline figures.
#include <ostream>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "experiments/cli/command.h"
#include "experiments/cli/model_source.h"
#include "experiments/cli/options.h"
#include "experiments/cli/sim_output.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {

int cmd_simulate(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  add_model_options(desc);
  desc.add_options()
    ("accel,a", po::value<std::string>()->default_value("tpuv3"), "accelerator: built-in name or YAML file")
    ("batch,b", po::value<long long>()->default_value(0), "batch size (0: the accelerator's default_batch)")
    ("resolution,r", po::value<int>()->default_value(0), "input resolution (0: the model's own)")
    ("set", po::value<std::vector<std::string>>()->composing(), "override an accelerator parameter: key=value (repeatable)")
    ("no-layers", "omit the per-layer table")
    ("json", "print one JSON object");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (parse_options("simulate",
                    "ridgepoint simulate MODEL|FILE [--accel NAME|FILE] [--batch B] [--resolution R] "
                    "[--set key=value ...] [--json]",
                    args, desc, pos, vm, out)) {
    return 0;
  }
  const std::vector<std::string> sets = vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
  const auto acc = accel::make_accelerator(vm["accel"].as<std::string>(), sets);
  traces::BuildOptions opt;
  opt.batch = vm["batch"].as<long long>();
  if (opt.batch < 0) throw UsageError("simulate: --batch must be >= 1");
  if (opt.batch == 0) opt.batch = acc->info().default_batch;
  opt.resolution = vm["resolution"].as<int>();
  if (opt.resolution < 0) throw UsageError("simulate: --resolution must be >= 0");
  opt.dtype = acc->info().precision;
  const traces::Network net = load_network(vm, opt);
  const sim::SimResult r = accel::simulate(net, *acc);
  if (vm.count("json")) {
    out << result_json(r, acc->info()).dump(2) << "\n";
  } else {
    print_result(out, r, acc->info(), !vm.count("no-layers"));
  }
  return 0;
}

}  // namespace rp::cli
