// `ridgepoint simulate MODEL|FILE --accel NAME|FILE`: latency, utilization, contention and roofline figures.
#include <memory>
#include <ostream>
#include <sstream>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "experiments/cli/accel_options.h"
#include "experiments/cli/command.h"
#include "experiments/cli/model_source.h"
#include "experiments/cli/options.h"
#include "experiments/cli/sim_output.h"
#include "traces/writers/output_file.h"
#include "traces/writers/trace_sinks.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {

namespace {

std::string path_option(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

traces::TraceMeta trace_meta(const accel::AcceleratorInfo& info, const std::vector<std::string>& args) {
  traces::TraceMeta m{info.family,
                      traces::dtype_name(info.precision),
                      info.label,
                      info.resolved_yaml,
                      "ridgepoint simulate",
                      accel::task_kind_names()};
  for (const auto& a : args) {
    const bool plain = !a.empty() && a.find_first_of(" \t'\"$\\") == std::string::npos;
    m.command += plain ? " " + a : " '" + a + "'";  // readable, not a full shell quoting
  }
  return m;
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
          "ridgepoint simulate (MODEL|FILE | --torchscript F.pt --input-shape N,C,H,W) [--accel NAME|FILE] [--batch B] [--resolution R] "
          "[--set key=value ...] [--trace F.h5] [--chrome-trace F.json] [--csv F.csv] [--json]",
          args, desc, pos, vm, out)) {
    return 0;
  }
  Target target = load_target(vm, "simulate");
  const auto& acc = target.acc;
  traces::BuildOptions& opt = target.build;
  opt.resolution = vm["resolution"].as<int>();
  traces::check_build_options(opt, "simulate: --batch", "simulate: --resolution");
  const traces::Network net = load_network(vm, opt);
  // Trace files are created (as NAME.tmp) before simulating, so a bad path fails fast, and renamed only once
  // complete; on any error the temporaries are removed.
  traces::TraceSinks sinks(path_option(vm, "trace"), path_option(vm, "chrome-trace"));
  std::unique_ptr<traces::OutputFile> csv;  // created now (a bad path fails before simulating), renamed when written
  if (vm.count("csv")) csv = std::make_unique<traces::OutputFile>(vm["csv"].as<std::string>());
  accel::SimOptions so;
  so.observer = sinks.observer();
  const sim::SimResult r = accel::simulate(net, *acc, so);
  if (sinks.active()) sinks.write(r, net, trace_meta(acc->info(), args));
  if (csv) {
    std::ostringstream text;
    write_layers_csv(text, r);
    csv->write(text.str());  // every byte checked ("No space left on device"), then fsync, close, rename
    csv->commit();
  }
  if (vm.count("json")) {
    out << result_json(r, acc->info()).dump(2) << "\n";
  } else {
    print_result(out, r, acc->info(), !vm.count("no-layers"));
  }
  return 0;
}

}  // namespace rp::cli
