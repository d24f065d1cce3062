// `ridgepoint compare MODEL... --accel NAME|FILE`: several networks on one accelerator, one line each.
#include <algorithm>
#include <iomanip>
#include <ostream>

#include <nlohmann/json.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/evaluate.h"
#include "accel_models/simulate.h"
#include "experiments/cli/accel_options.h"
#include "experiments/cli/command.h"
#include "experiments/cli/format.h"
#include "experiments/cli/model_source.h"
#include "experiments/cli/options.h"
#include "experiments/cli/sim_output.h"
#include "experiments/kinds/model_files.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {
namespace {

// The units `compare` shows: the headline units of the first result (the family's compute units and their
// datapaths), each with its busy share, and the wait of those that have a queue.
struct Column {
  std::string unit;
  bool wait;
};

std::vector<Column> headline_columns(const sim::SimResult& r) {
  std::vector<Column> cols;
  for (const auto& u : r.units) {
    if (u.headline) cols.push_back({u.name, false});
  }
  for (const auto& u : r.units) {
    if (u.headline && u.parent.empty()) cols.push_back({u.name, true});
  }
  return cols;
}

const sim::UnitSummary* find_unit(const sim::SimResult& r, const std::string& name) {
  for (const auto& u : r.units) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

}  // namespace

int cmd_compare(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  add_accel_options(desc);
  desc.add_options()("models", po::value<std::vector<std::string>>()->multitoken()->required(),
                     "zoo model names, YAML network files or model files (.pt, .onnx)")(
      "resolution,r", po::value<int>()->default_value(0), "input resolution (0: each model's own)")(
      "json", "print one JSON array of full results");
  add_import_options(desc);
  po::positional_options_description pos;
  pos.add("models", -1);
  po::variables_map vm;
  if (parse_options("compare",
                    "ridgepoint compare MODEL [MODEL ...] [--input-shape N,C,H,W] [--accel NAME|FILE] [--batch B] "
                    "[--resolution R] [--seq-len S] [--set k=v] [--json]",
                    args, desc, pos, vm, out)) {
    return 0;
  }
  Target target = load_target(vm, "compare");
  const auto& acc = target.acc;
  traces::BuildOptions& opt = target.build;
  opt.resolution = vm["resolution"].as<int>();
  read_seq_len(vm, opt, "compare");
  const auto models = vm["models"].as<std::vector<std::string>>();
  if (vm.count("input-shape") &&
      std::none_of(models.begin(), models.end(), [](const std::string& m) { return kinds::importer_for(m); })) {
    throw UsageError("compare: --input-shape applies only to imported models (.pt, .onnx), and none is given");
  }
  std::vector<sim::SimResult> results;
  std::vector<std::string> rules;
  for (const auto& m : models) {
    const LoadedNetwork loaded = load_spec(vm, m, opt, acc->info().name, true);
    results.push_back(accel::simulate_within_budgets(loaded.net, *acc));
    rules.push_back(loaded.batch_rule);
  }
  if (vm.count("json")) {
    nlohmann::json arr = nlohmann::json::array();
    for (size_t i = 0; i < results.size(); ++i) arr.push_back(result_json(results[i], acc->info(), rules[i]));
    out << arr.dump(2) << "\n";
    return 0;
  }
  const bool one_rule = std::count(rules.begin(), rules.end(), rules.front()) == static_cast<long>(rules.size());
  out << "accelerator " << acc->info().name << ", " << (one_rule ? rules.front() : "batches differ (below)") << ", "
      << traces::dtype_name(opt.dtype) << "; speedup is relative to the first model\n";
  for (size_t i = 0; !one_rule && i < results.size(); ++i) out << "  " << results[i].model << ": " << rules[i] << "\n";
  out << "\n";
  const std::vector<Column> cols = headline_columns(results.front());
  out << std::left << std::setw(28) << "model" << std::right << std::setw(11) << "latency ms" << std::setw(9)
      << "speedup" << std::setw(10) << "GMACs" << std::setw(10) << "Q GB" << std::setw(8) << "I" << std::setw(7) << "E";
  for (const auto& c : cols) {
    const std::string head = c.unit + (c.wait ? " wait ms" : " busy");
    out << std::setw(std::max<int>(12, static_cast<int>(head.size()) + 2)) << head;
  }
  out << "\n";
  for (const auto& r : results) {
    out << std::left << std::setw(28) << r.model << std::right << std::setw(11) << fixed(r.latency_ms, 3)
        << std::setw(8) << fixed(results.front().latency_ms / r.latency_ms, 2) << "x" << std::setw(10)
        << fixed(r.flops / 2e9 / static_cast<double>(r.batch), 3) << std::setw(10) << fixed(r.hbm_bytes / 1e9, 2)
        << std::setw(8) << fixed(r.intensity, 1) << std::setw(7) << fixed(r.efficiency, 3);
    for (const auto& c : cols) {
      const sim::UnitSummary* u = find_unit(r, c.unit);
      const std::string head = c.unit + (c.wait ? " wait ms" : " busy");
      const int w = std::max<int>(12, static_cast<int>(head.size()) + 2);
      if (!u) {
        out << std::setw(w) << "-";
      } else if (c.wait) {
        out << std::setw(w) << fixed(u->contention_ms, 3);
      } else {
        out << std::setw(w - 1) << fixed(100 * u->busy_fraction, 1) << "%";
      }
    }
    out << "\n";
  }
  out << "\nGMACs per image; Q = HBM bytes, I = W/Q (FLOP/byte), E = achieved / min(peak, I x bandwidth).\n";
  return 0;
}

}  // namespace rp::cli
