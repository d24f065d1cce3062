// `ridgepoint simulate MODEL|FILE --accel NAME|FILE`: latency, utilization, contention and roofline figures.
#include <ostream>

#include "experiments/cli/accel_options.h"
#include "experiments/cli/command.h"
#include "experiments/cli/model_source.h"
#include "experiments/cli/options.h"
#include "experiments/cli/sim_output.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {

namespace {

std::string path_option(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

// The command line, for the traces' meta: readable, not a full shell quoting.
std::string command_line(const std::vector<std::string>& args) {
  std::string command = "ridgepoint simulate";
  for (const auto& a : args) {
    const bool plain = !a.empty() && a.find_first_of(" \t'\"$\\") == std::string::npos;
    command += plain ? " " + a : " '" + a + "'";
  }
  return command;
}

}  // namespace

int cmd_simulate(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  add_accel_options(desc);
  add_model_options(desc);
  desc.add_options()("resolution,r", po::value<int>()->default_value(0), "input resolution (0: the model's own)")(
      "trace", po::value<std::string>(), "write an HDF5 trace (docs/traces.md) to this file")(
      "chrome-trace", po::value<std::string>(), "write a Chrome trace-event JSON timeline (Perfetto) to this file")(
      "csv", po::value<std::string>(), "write the per-layer (fusion / kernel) table as CSV to this file")(
      "no-layers", "omit the per-layer table")("json", "print one JSON object");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (parse_options(
          "simulate",
          "ridgepoint simulate MODEL|FILE|F.pt|F.onnx [--input-shape N,C,H,W] [--accel NAME|FILE] [--batch B] "
          "[--resolution R] [--seq-len S] [--set key=value ...] [--trace F.h5] [--chrome-trace F.json] [--csv F.csv] "
          "[--json]",
          args, desc, pos, vm, out)) {
    return 0;
  }
  Target target = load_target(vm, "simulate");
  const auto& acc = target.acc;
  traces::BuildOptions& opt = target.build;
  opt.resolution = vm["resolution"].as<int>();
  read_seq_len(vm, opt, "simulate");
  const LoadedNetwork loaded = load_network(vm, opt, acc->info().name);
  const traces::Network& net = loaded.net;
  const SimFiles files{path_option(vm, "trace"), path_option(vm, "chrome-trace"), path_option(vm, "csv")};
  const sim::SimResult r = simulate_to_files(net, *acc, files, command_line(args), loaded.batch_rule);
  if (vm.count("json")) {
    out << result_json(r, acc->info(), loaded.batch_rule).dump(2) << "\n";
  } else {
    print_result(out, r, acc->info(), !vm.count("no-layers"), loaded.batch_rule);
  }
  return 0;
}

}  // namespace rp::cli
