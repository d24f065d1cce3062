// `ridgepoint compare MODEL... --accel NAME|FILE`: several networks on one accelerator, one line each.
#include <iomanip>
#include <ostream>

#include <nlohmann/json.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "experiments/cli/accel_options.h"
#include "experiments/cli/command.h"
#include "experiments/cli/format.h"
#include "experiments/cli/options.h"
#include "experiments/cli/sim_output.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {
namespace {

double contention(const sim::SimResult& r, const std::string& unit) {
  for (const auto& u : r.units) {
    if (u.name == unit) return u.contention_ms;
  }
  return 0;
}

double busy(const sim::SimResult& r, const std::string& unit) {
  for (const auto& u : r.units) {
    if (u.name == unit) return u.busy_fraction;
  }
  return 0;
}

}  // namespace

int cmd_compare(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  add_accel_options(desc);
  desc.add_options()
    ("models", po::value<std::vector<std::string>>()->multitoken()->required(), "zoo model names or YAML files")
    ("json", "print one JSON array of full results");
  po::positional_options_description pos;
  pos.add("models", -1);
  po::variables_map vm;
  if (parse_options("compare", "ridgepoint compare MODEL [MODEL ...] [--accel NAME|FILE] [--batch B] [--set k=v] [--json]",
                    args, desc, pos, vm, out)) {
    return 0;
  }
  Target target = load_target(vm, "compare");
  const auto& acc = target.acc;
  traces::BuildOptions& opt = target.build;
  std::vector<sim::SimResult> results;
  for (const auto& m : vm["models"].as<std::vector<std::string>>()) {
    results.push_back(accel::simulate(traces::build_model(m, opt), *acc));
  }
  if (vm.count("json")) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : results) arr.push_back(result_json(r, acc->info()));
    out << arr.dump(2) << "\n";
    return 0;
  }
  out << "accelerator " << acc->info().name << ", batch " << opt.batch << ", " << traces::dtype_name(opt.dtype)
      << "; speedup is relative to the first model\n\n";
  out << std::left << std::setw(28) << "model" << std::right << std::setw(11) << "latency ms" << std::setw(9)
      << "speedup" << std::setw(10) << "GMACs" << std::setw(10) << "Q GB" << std::setw(8) << "I" << std::setw(7)
      << "E" << std::setw(12) << "matrix busy" << std::setw(12) << "vector busy" << std::setw(16)
      << "vector wait ms" << "\n";
  for (const auto& r : results) {
    out << std::left << std::setw(28) << r.model << std::right << std::setw(11) << fixed(r.latency_ms, 3)
        << std::setw(8) << fixed(results.front().latency_ms / r.latency_ms, 2) << "x" << std::setw(10)
        << fixed(r.flops / 2e9 / static_cast<double>(r.batch), 3) << std::setw(10) << fixed(r.hbm_bytes / 1e9, 2)
        << std::setw(8) << fixed(r.intensity, 1) << std::setw(7) << fixed(r.efficiency, 3) << std::setw(11)
        << fixed(100 * busy(r, "matrix"), 1) << "%" << std::setw(11) << fixed(100 * busy(r, "vector"), 1) << "%"
        << std::setw(16) << fixed(contention(r, "vector"), 3) << "\n";
  }
  out << "\nGMACs per image; Q = HBM bytes, I = W/Q (FLOP/byte), E = achieved / min(peak, I x bandwidth).\n";
  return 0;
}

}  // namespace rp::cli
