// `ridgepoint validate [--accel NAME] [--set k=v ...] [--lofo] [--json]`: simulated vs published latencies, errors and
// rank correlation; with --lofo, leave-one-family-out calibration per accelerator (the generalization headline);
// with --set, the same with a key (a stack switch) changed on every validated accelerator.
#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <ostream>
#include <sstream>

#include "experiments/cli/calibrate_json.h"
#include "experiments/cli/catalog_json.h"
#include "experiments/cli/command.h"
#include "experiments/cli/format.h"
#include "experiments/cli/options.h"
#include "experiments/validation/calibrate.h"
#include "experiments/validation/dataset.h"
#include "experiments/validation/validate.h"

namespace rp::cli {

namespace {

std::string pct(double e) { return (e >= 0 ? "+" : "") + fixed(100 * e, 1) + "%"; }
std::string rank(double spearman) { return std::isnan(spearman) ? "n/a" : fixed(spearman, 3); }

// Li et al.'s published I and E beside the simulated ones, for the rows that publish them.
void print_intensity(std::ostream& out, const validation::ValidationReport& r, const validation::AccelSummary& a) {
  if (!a.group.empty()) return;
  const auto count = validation::count_intensity(r.rows, a.accelerator);
  if (count.rows == 0) return;
  out << std::left << std::setw(48) << "intensity (Li et al.: I in ops/byte, E)" << std::right << std::setw(8)
      << "I publ" << std::setw(8) << "I sim" << std::setw(9) << "error" << std::setw(8) << "E publ" << std::setw(8)
      << "E sim" << std::setw(9) << "error"
      << "\n";
  for (const auto& x : r.rows) {
    if (x.m.accelerator != a.accelerator || !(x.m.paper_intensity > 0)) continue;
    out << std::left << std::setw(48) << x.m.paper_model << std::right << std::setw(8) << fixed(x.m.paper_intensity, 1)
        << std::setw(8) << fixed(x.simulated_intensity, 1) << std::setw(9) << pct(x.intensity_error) << std::setw(8)
        << fixed(x.m.paper_efficiency, 3) << std::setw(8) << fixed(x.simulated_efficiency, 3) << std::setw(9)
        << pct(x.efficiency_error) << "\n";
  }
  out << "simulated I within " << fixed(100 * validation::kIntensityTolerance, 0)
      << "% of the published I: " << count.within << " of " << count.rows << " rows\n";
}

void print_accelerator(std::ostream& out, const validation::ValidationReport& r, const validation::AccelSummary& a) {
  const bool modern = a.accelerator.find("-modern") != std::string::npos;
  out << "accelerator " << a.label()
      << (modern
              ? " (modern stack; a published throughput as the latency of one batch: batch / throughput"
              : " (paper stack; Li et al. CVPR 2021 Tables 3-4 at batch 128 per device, other rows at their own batch")
      << (a.rows_fit == 0 ? "; predictions: nothing fitted on these rows" : "") << ")\n";
  out << std::left << std::setw(48) << "model" << std::setw(12) << "family" << std::setw(9) << "use" << std::right
      << std::setw(12) << "measured ms" << std::setw(14) << "simulated ms" << std::setw(9) << "error"
      << "\n";
  for (const auto& x : r.rows) {
    if (x.m.accelerator != a.accelerator || x.m.group != a.group) continue;
    out << std::left << std::setw(48) << x.m.paper_model << std::setw(12) << x.m.family << std::setw(9) << x.m.use
        << std::right << std::setw(12) << fixed(x.m.measured_ms, 2) << std::setw(14) << fixed(x.simulated_ms, 2)
        << std::setw(9) << pct(x.error) << "\n";
  }
  out << "MAPE " << fixed(100 * a.mape, 1) << "%   max |error| " << fixed(100 * a.max_error, 1) << "%   Spearman "
      << rank(a.spearman) << "   (" << a.rows << " rows)\n";
  if (a.rows_fit > 0 && a.rows_held > 0) {
    out << "fitted rows: MAPE " << fixed(100 * a.mape_fit, 1) << "% (" << a.rows_fit
        << ")   held-out / prediction rows: MAPE " << fixed(100 * a.mape_held, 1) << "% (" << a.rows_held << ")\n";
  }
  if (a.families.size() > 1) {
    for (const auto& f : a.families) {
      out << "  family " << std::left << std::setw(12) << f.family << std::right << "MAPE " << std::setw(6)
          << fixed(100 * f.mape, 1) << "%   Spearman " << rank(f.spearman) << "   (" << f.rows << " rows)\n";
    }
  }
  print_intensity(out, r, a);
  if (a.ratios.empty()) return;  // no pair of rows the paper compares: no section
  out << std::left << std::setw(52) << "ratio check" << std::right << std::setw(10) << "measured" << std::setw(11)
      << "simulated" << std::setw(9) << "error"
      << "\n";
  for (const auto& c : a.ratios) {
    out << std::left << std::setw(52) << c.name << std::right << std::setw(10) << fixed(c.measured, 3) << std::setw(11)
        << fixed(c.simulated, 3) << std::setw(9) << pct(c.error) << "\n";
  }
}

// The headline: per accelerator, every row of the corpus together (transformer predictions included).
void print_corpus(std::ostream& out, const validation::ValidationReport& r) {
  out << "\nwhole corpus per accelerator (every row; leave-one-family-out: ridgepoint calibrate --accel A --lofo)\n";
  out << std::left << std::setw(18) << "accelerator" << std::right << std::setw(6) << "rows" << std::setw(6) << "fit"
      << std::setw(10) << "held-out" << std::setw(9) << "predict" << std::setw(9) << "MAPE" << std::setw(10)
      << "Spearman"
      << "\n";
  for (const auto& c : r.corpus) {
    int held = 0, predict = 0;
    for (const auto& x : r.rows) {
      if (x.m.accelerator != c.accelerator) continue;
      held += x.m.use == "held-out";
      predict += x.m.use == "predict";
    }
    out << std::left << std::setw(18) << c.accelerator << std::right << std::setw(6) << c.rows << std::setw(6)
        << c.rows_fit << std::setw(10) << held << std::setw(9) << predict << std::setw(8) << fixed(100 * c.mape, 1)
        << "%" << std::setw(10) << rank(c.spearman) << "\n";
  }
}

// Leave-one-family-out for every validated accelerator calibration.yaml lists (the others have nothing fitted).
std::vector<std::pair<std::string, validation::FitResult>> family_out(const validation::ValidationReport& r,
                                                                      const std::vector<std::string>& set) {
  std::vector<std::pair<std::string, validation::FitResult>> out;
  for (const auto& c : r.corpus) {
    const auto params = validation::fit_params(c.accelerator);
    if (params.empty()) continue;
    std::cerr << "validate: leave-one-family-out on " << c.accelerator << ", " << c.rows
              << " rows (one fit per family; on one core of the development machine about 4 s for tpuv3, 1 "
                 "minute for v100-modern)\n";
    validation::FitOptions o;
    o.leave_family_out = true;
    std::ostringstream log;  // the per-row lines: printed below from the result
    out.emplace_back(c.accelerator, validation::calibrate(c.accelerator, params, o, log, set));
  }
  return out;
}

void print_family_out(std::ostream& out, const std::vector<std::pair<std::string, validation::FitResult>>& lofo) {
  out << "\nleave-one-family-out MAPE (fit the stack: values on the other families' measured rows, predict one)\n";
  for (const auto& [acc, f] : lofo) {
    out << std::left << std::setw(14) << acc << std::right << "overall " << fixed(100 * f.lofo_mape, 1) << "% ("
        << f.lofo.size() << " rows)";
    for (const auto& fam : f.lofo_families) {
      out << "   " << fam.family << " " << (fam.skipped.empty() ? fixed(100 * fam.mape, 1) + "%" : "skipped") << " ("
          << fam.rows << ")";
    }
    out << "\n";
  }
}

// Per accelerator: its fit's leave-one-family-out, as `calibrate --lofo --json` renders it.
nlohmann::json lofo_by_accelerator_json(const std::vector<std::pair<std::string, validation::FitResult>>& lofo) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [acc, f] : lofo) j[acc] = family_out_json(f);
  return j;
}

}  // namespace

int cmd_validate(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()("accel,a", po::value<std::vector<std::string>>()->composing(),
                     "accelerator(s) to validate (default: all with data)")(
      "lofo", "also leave one family out: refit the stack per held-out family (about 70 s for every accelerator)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "key=value applied to every validated accelerator, after each row's own settings (corpus.csv's stack_set "
      "and dtype) (a stack switch's effect; repeatable; a key of one family, e.g. the TPUs' "
      "stack.dispatch_overhead_ns, needs --accel naming that family's accelerators)")("json", "print one JSON object");
  po::variables_map vm;
  if (parse_options("validate",
                    "ridgepoint validate [--accel tpuv3|v100|v100-modern|a100-modern|a100-80gb-modern] [--set k=v ...] "
                    "[--lofo] [--json]",
                    args, desc, {}, vm, out))
    return 0;
  const auto accs = vm.count("accel") ? vm["accel"].as<std::vector<std::string>>() : std::vector<std::string>{};
  const auto set = vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
  std::map<std::string, std::vector<std::string>> overrides;
  if (!set.empty()) {
    for (const auto& m : validation::published_measurements()) overrides[m.accelerator] = set;
  }
  const validation::ValidationReport r = validation::validate(accs, overrides);
  const auto lofo =
      vm.count("lofo") ? family_out(r, set) : std::vector<std::pair<std::string, validation::FitResult>>{};

  if (vm.count("json")) {
    auto j = validation_json(r);
    if (vm.count("lofo")) j["leave_family_out"] = lofo_by_accelerator_json(lofo);
    if (!set.empty()) j["set"] = set;
    out << j.dump(2) << "\n";
    return 0;
  }
  if (!set.empty()) {
    out << "with";
    for (const auto& kv : set) out << " --set " << kv;
    out << " on every accelerator (not the shipped configs)\n\n";
  }
  for (const auto& a : r.accelerators) {
    if (&a != &r.accelerators.front()) out << "\n";
    print_accelerator(out, r, a);
  }
  print_corpus(out, r);
  if (!lofo.empty()) print_family_out(out, lofo);
  return 0;
}

}  // namespace rp::cli
