// `ridgepoint calibrate --accel NAME [--measurements FILE.csv] [--fit KEY=LO:HI ...] [--loo] [--lofo] [--json]
// [--write FILE]`: fits an accelerator's software-stack (stack:) parameters to the published measurements
// (experiments/validation/calibration.yaml lists which) or to a user's own rows (measurements.h; docs/validation.md),
// with progress and an ETA on stderr for long fits; optionally writes the fitted values into the YAML.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <ostream>

#include <nlohmann/json.hpp>

#include "experiments/cli/calibrate_json.h"
#include "experiments/cli/command.h"
#include "experiments/cli/format.h"
#include "experiments/cli/options.h"
#include "experiments/validation/calibrate.h"
#include "experiments/validation/measurements.h"
#include "simulator/error.h"

namespace rp::cli {
namespace {

std::string duration_text(double s) {
  char buf[32];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  } else {
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  }
  return buf;
}

// Progress lines on stderr: none for a fit done within 2 s; then one when a fit starts and every 5 s, with the
// share of the simulations done and the time left at the rate so far.
std::function<void(const validation::FitProgress&)> progress_lines(std::ostream& err) {
  struct State {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now(), last{};
    int fit = 0;
  };
  auto st = std::make_shared<State>();
  return [st, &err](const validation::FitProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(now - st->start).count();
    if (secs < 2 || (p.fit == st->fit && std::chrono::duration<double>(now - st->last).count() < 5)) return;
    st->fit = p.fit;
    st->last = now;
    const double done = static_cast<double>(std::min(p.done, p.total)) / static_cast<double>(p.total);
    err << "calibrate: fit " << p.fit << " of " << p.fits << ", " << fixed(100 * done, 0) << "% of " << p.total
        << " simulations of the rows, " << duration_text(secs) << " elapsed, ETA "
        << duration_text(done > 0 ? secs * (1 - done) / done : 0) << "\n"
        << std::flush;
  };
}

nlohmann::json errors_json(const std::vector<std::pair<std::string, double>>& errors) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& [row, e] : errors) a.push_back({{"row", row}, {"error", e}});
  return a;
}

void print_text(std::ostream& out, const CalibrateOutcome& o) {
  const auto& r = o.fit;
  const std::string &acc = o.accel, &data = o.data;
  const size_t rows = o.rows;
  out << "calibrated " << acc << " on " << rows << " rows of " << data << ": MAPE " << fixed(100 * r.mape, 1)
      << "%, mean |ln(sim/meas)| " << fixed(r.objective, 4) << "\n";
  if (r.intensity_rows > 0) {
    out << "  fitted together with the operational intensity (W / Q) of " << r.intensity_rows << " of those rows: MAPE "
        << fixed(100 * r.intensity_mape, 1) << "%\n";
  }
  for (const auto& s : o.set) out << "  with --set " << s << " (not the shipped config)\n";
  for (const auto& [k, v] : r.values) out << "  " << k << " = " << v << "\n";
  if (!r.loo.empty()) out << "leave-one-out MAPE " << fixed(100 * r.loo_mape, 1) << "%\n";
  if (r.lofo_families.empty()) return;
  out << "leave-one-family-out MAPE " << fixed(100 * r.lofo_mape, 1) << "% over " << r.lofo.size()
      << " rows (per family: fit on the other families' measured rows, predict it):\n";
  size_t at = 0;  // r.lofo holds the predicted rows family after family
  for (const auto& f : r.lofo_families) {
    if (!f.skipped.empty()) {
      out << "  " << f.family << " (" << f.rows << " rows): skipped: " << f.skipped << "\n";
      continue;
    }
    out << "  " << f.family << " (" << f.rows << " rows): MAPE " << fixed(100 * f.mape, 1) << "%, fitted without it:";
    const char* sep = " ";
    for (const auto& [k, v] : f.values) {
      out << sep << k << " = " << v;
      sep = ", ";
    }
    out << "\n";
    for (int i = 0; i < f.rows; ++i, ++at) {
      const auto& [row, e] = r.lofo[at];
      out << "    " << row << ": " << (e >= 0 ? "+" : "") << fixed(100 * e, 1) << "%\n";
    }
  }
}

}  // namespace

nlohmann::json calibrate_json(const CalibrateOutcome& o) {
  const auto& r = o.fit;
  nlohmann::json values = nlohmann::json::object();
  for (const auto& [k, v] : r.values) values[k] = v;
  nlohmann::json j = {{"accelerator", o.accel},   {"measurements", o.data}, {"rows", o.rows}, {"values", values},
                      {"objective", r.objective}, {"mape", r.mape},         {"set", o.set}};
  j["intensity"] = {{"rows", r.intensity_rows},
                    {"mape", r.intensity_rows > 0 ? nlohmann::json(r.intensity_mape) : nlohmann::json()}};
  if (!r.loo.empty()) j["leave_one_out"] = {{"mape", r.loo_mape}, {"rows", errors_json(r.loo)}};
  if (!r.lofo_families.empty()) j["leave_family_out"] = family_out_json(r);
  return j;
}

nlohmann::json family_out_json(const validation::FitResult& r) {
  nlohmann::json fams = nlohmann::json::object();
  for (const auto& f : r.lofo_families) {
    const bool fitted = f.skipped.empty();
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [k, v] : f.values) values[k] = v;
    fams[f.family] = {{"rows", f.rows},
                      {"mape", fitted ? nlohmann::json(f.mape) : nlohmann::json()},
                      {"skipped", fitted ? nlohmann::json() : nlohmann::json(f.skipped)},
                      {"values", fitted ? values : nlohmann::json()}};
  }
  return {{"mape", r.lofo_mape}, {"rows", errors_json(r.lofo)}, {"families", fams}};
}

CalibrateOutcome run_calibration(const CalibrateRequest& q, std::ostream& log,
                                 const std::function<void(const validation::FitProgress&)>& progress) {
  if (q.sweeps && (*q.sweeps < 1 || *q.sweeps > 100)) {
    throw UsageError("calibrate: --sweeps must be in [1, 100], got " + std::to_string(*q.sweeps));
  }
  const bool own = q.measurements.has_value();
  std::vector<validation::FitParam> params;
  for (const auto& f : q.fit) params.push_back(validation::parse_fit_param(f, q.accel, q.set));
  if (q.fit.empty()) params = own ? validation::default_fit_params(q.accel, q.set) : validation::fit_params(q.accel);
  if (q.write) {
    std::vector<std::string> keys;
    for (const auto& p : params) keys.push_back(p.key);
    validation::check_fitted_keys(*q.write, keys);  // before minutes of fitting, not after
  }
  validation::FitOptions fo;
  fo.leave_one_out = q.loo;
  fo.leave_family_out = q.lofo;
  fo.sweeps = q.sweeps ? *q.sweeps : own ? 6 : 2;
  fo.progress = progress;
  CalibrateOutcome o;
  o.accel = q.accel;
  o.set = q.set;
  if (own) {
    o.data = *q.measurements;
    const auto measured = validation::read_measurements(o.data, q.accel);  // every bad row: FILE:LINE, before a fit
    o.rows = measured.size();
    o.fit = validation::calibrate_rows(q.accel, q.set, measured, params, fo, log);
  } else {
    o.data = "corpus.csv (use = fit)";
    o.fit = validation::calibrate(q.accel, params, fo, log, q.set);
    for (const auto& m : validation::published_measurements()) o.rows += m.accelerator == q.accel && m.fit;
  }
  return o;
}

int cmd_calibrate(const std::vector<std::string>& args, std::ostream& out) {
  const std::string measurements_help =
      "your own measurements: CSV with columns " + validation::measurement_columns_synopsis() + " (docs/validation.md)";
  po::options_description desc("options");
  desc.add_options()("accel,a", po::value<std::string>()->required(),
                     "accelerator: a built-in with published measurements (tpuv3, v100, v100-modern), or with "
                     "--measurements any built-in name, NAME-PROFILE or YAML file")(
      "measurements,m", po::value<std::string>(), measurements_help.c_str())(
      "fit", po::value<std::vector<std::string>>()->composing(),
      "a stack: key to fit and its bounds, KEY=LO:HI (repeatable; default: calibration.yaml's for the accelerator "
      "or its family)")("set", po::value<std::vector<std::string>>()->composing(),
                        "override an accelerator parameter before fitting: key=value (repeatable), after each "
                        "corpus row's own settings (corpus.csv's stack_set and dtype)")(
      "sweeps", po::value<int>(),
      "coordinate-descent sweeps per fit, 1 to 100 (default: 2 on the published rows, as the shipped configs were "
      "fitted; 6 with --measurements)")("loo", "also report leave-one-out errors (one fit per row)")(
      "lofo", "also report leave-one-family-out errors (per family: fit on the others, predict it)")(
      "json", "print one JSON object")("write", po::value<std::string>(),
                                       "rewrite the fitted values into this accelerator YAML (e.g. my-chip.yaml)");
  po::variables_map vm;
  if (parse_options("calibrate",
                    "ridgepoint calibrate --accel NAME|FILE [--measurements FILE.csv] [--fit KEY=LO:HI ...] "
                    "[--set k=v ...] [--loo] [--lofo] [--json] [--write FILE]",
                    args, desc, {}, vm, out)) {
    return 0;
  }
  CalibrateRequest q;
  q.accel = vm["accel"].as<std::string>();
  if (vm.count("measurements")) q.measurements = vm["measurements"].as<std::string>();
  if (vm.count("fit")) q.fit = vm["fit"].as<std::vector<std::string>>();
  if (vm.count("set")) q.set = vm["set"].as<std::vector<std::string>>();
  q.loo = vm.count("loo") > 0;
  q.lofo = vm.count("lofo") > 0;
  if (vm.count("sweeps")) q.sweeps = vm["sweeps"].as<int>();
  if (vm.count("write")) q.write = vm["write"].as<std::string>();
  const CalibrateOutcome o = run_calibration(q, std::cerr, progress_lines(std::cerr));
  const std::string& acc = o.accel;
  const validation::FitResult& r = o.fit;
  if (vm.count("json")) {
    out << calibrate_json(o).dump(2) << "\n";
  } else {
    print_text(out, o);
  }
  if (q.write) {
    std::string note =
        "[fit] ridgepoint calibrate --accel " + acc + " on " + o.data + ": MAPE " + fixed(100 * r.mape, 1) + "%";
    if (!r.loo.empty()) note += ", leave-one-out " + fixed(100 * r.loo_mape, 1) + "%";
    for (const auto& s : o.set) note += ", with --set " + s;  // fitted with these: the file may not hold them
    validation::write_fitted(*q.write, r.values, note);
    (vm.count("json") ? std::cerr : out) << "wrote " << *q.write << " (rebuild to embed it)\n";
  }
  return 0;
}

}  // namespace rp::cli
