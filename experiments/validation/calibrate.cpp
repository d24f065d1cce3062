#include "experiments/validation/calibrate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <regex>
#include <sstream>

#include "accel_models/config/accelerator_config.h"
#include "accel_models/simulate.h"
#include "experiments/validation/stats.h"
#include "experiments/validation/validate.h"
#include "simulator/error.h"
#include "traces/writers/output_file.h"
#include "traces/zoo/zoo.h"

namespace rp::validation {
namespace {

struct Problem {
  // The accelerator as named, then one per other row settings among the rows (row_settings: an fp32 row's
  // precision); base_of: each row's index in it.
  std::vector<accel::AcceleratorConfig> bases;
  std::vector<size_t> base_of;
  std::vector<FitParam> params;
  std::vector<Measurement> rows;
  std::vector<traces::Network> nets;
  bool paper_ratios = true;  // add the paper's ratio checks to the objective (its own rows only)
  int sweeps = 2;            // coordinate-descent sweeps per fit
  // Progress: simulations of the row set so far, and the fit under way.
  mutable FitProgress progress;
  std::function<void(const FitProgress&)> report;

  // Latency of each row in `need` (NaN for the others: not simulated) with the parameters at `x`.
  std::vector<double> simulate(const std::vector<double>& x, const std::vector<bool>& need) const {
    std::vector<double> latency;
    for (const RowSim& s : run(x, need)) latency.push_back(s.latency_ms);
    return latency;
  }

  // Latency and operational intensity (W / Q) of each row in `need` (NaN for the others).
  struct RowSim {
    double latency_ms = NAN, intensity = NAN;
  };
  std::vector<RowSim> run(const std::vector<double>& x, const std::vector<bool>& need) const {
    // Typed overrides of the config read once; each value rounded to the 6 significant digits it is written with.
    std::vector<accel::Override> sets;
    for (size_t i = 0; i < params.size(); ++i) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", x[i]);
      sets.push_back({params[i].key, std::strtod(buf, nullptr)});
    }
    std::vector<std::shared_ptr<const accel::IAccelerator>> accs(bases.size());  // built when a row needs one
    std::vector<RowSim> out;
    for (size_t i = 0; i < nets.size(); ++i) {
      if (!need[i]) {
        out.push_back({});
        continue;
      }
      auto& acc = accs[base_of[i]];
      if (!acc) acc = bases[base_of[i]].with(sets).build();
      const sim::SimResult r = accel::simulate(nets[i], *acc);
      out.push_back({r.latency_ms, r.intensity});
    }
    ++progress.done;
    if (report) report(progress);
    return out;
  }

  // Mean |ln(sim / meas)| over the rows in `use`, plus the same for the paper's ratio checks (X-B0 / B0 speedup,
  // B7 / B0 growth, Table 4 steps) among those rows (the relative speeds are what NAS uses), plus the same for the
  // operational intensity of those rows that give one (Measurement::paper_intensity > 0): each target's mean counts
  // once, so a byte-model value is fitted to the bytes the rows moved, not only to their time.
  double objective(const std::vector<double>& x, const std::vector<bool>& use) const {
    const auto sim = run(x, use);
    double s = 0, si = 0;
    int with_intensity = 0;
    std::vector<RowResult> kept;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!use[i]) continue;
      s += std::fabs(std::log(sim[i].latency_ms / rows[i].measured_ms));
      kept.push_back({rows[i], sim[i].latency_ms, 0});
      if (rows[i].paper_intensity > 0) {
        si += std::fabs(std::log(sim[i].intensity / rows[i].paper_intensity));
        ++with_intensity;
      }
    }
    double total = kept.empty() ? 0 : s / static_cast<double>(kept.size());
    if (with_intensity > 0) total += si / with_intensity;
    const auto ratios = paper_ratios ? ratio_checks(kept) : std::vector<RatioCheck>{};
    double r = 0;
    for (const auto& c : ratios) r += std::fabs(std::log(c.simulated / c.measured));
    if (!ratios.empty()) total += r / static_cast<double>(ratios.size());
    return total;
  }
};

// The row's family for leave-one-family-out: the corpus's family column; a user's row: efficientnet-b or other.
std::string family_of(const Measurement& m) {
  if (!m.family.empty()) return m.family;
  return in_efficientnet_b_family(m) ? "efficientnet-b" : "other";
}

constexpr int kGoldenSteps = 14;
// Simulations of the row set per fit: per sweep and parameter, 2 to start, one per golden step, 2 to compare.
int64_t simulations_per_fit(int sweeps, size_t params) {
  return static_cast<int64_t>(sweeps) * static_cast<int64_t>(params) * (kGoldenSteps + 4);
}

// Coordinate descent: golden-section search on each parameter in turn, a few sweeps.
std::vector<double> fit(const Problem& p, std::vector<double> x, const std::vector<bool>& use) {
  const double g = (std::sqrt(5.0) - 1) / 2;
  ++p.progress.fit;
  for (int sweep = 0; sweep < p.sweeps; ++sweep) {
    for (size_t i = 0; i < p.params.size(); ++i) {
      double a = p.params[i].lo, b = p.params[i].hi;
      auto f = [&](double v) {
        std::vector<double> y = x;
        y[i] = v;
        return p.objective(y, use);
      };
      double c = b - g * (b - a), d = a + g * (b - a), fc = f(c), fd = f(d);
      for (int it = 0; it < kGoldenSteps; ++it) {
        if (fc < fd) {
          b = d, d = c, fd = fc, c = b - g * (b - a), fc = f(c);
        } else {
          a = c, c = d, fc = fd, d = a + g * (b - a), fd = f(d);
        }
      }
      const double best = (a + b) / 2;
      if (f(best) <= p.objective(x, use)) x[i] = best;
    }
  }
  return x;
}

}  // namespace

std::pair<std::vector<bool>, std::vector<bool>> lofo_masks(const std::vector<Measurement>& rows,
                                                           const std::string& family) {
  std::vector<bool> use(rows.size(), false), held(rows.size(), false);
  for (size_t k = 0; k < rows.size(); ++k) {
    held[k] = family_of(rows[k]) == family;
    use[k] = !held[k] && rows[k].use != "predict";
  }
  return {use, held};
}

bool in_efficientnet_b_family(const Measurement& m) {
  return std::regex_match(m.model, std::regex("efficientnet-b[0-7]"));
}

namespace {

std::vector<std::string> families_in(const std::vector<Measurement>& rows) {
  std::vector<std::string> out;
  for (const auto& m : rows) {
    if (std::find(out.begin(), out.end(), family_of(m)) == out.end()) out.push_back(family_of(m));
  }
  return out;
}

// Leave-one-family-out: per family F, fit on the measured rows (use fit or held-out) of the other families, starting
// from the middle of each parameter's bounds (the config's values saw every fit row, F's included), and predict
// every row of F. A family whose complement has too few rows to fit is reported as skipped.
void leave_family_out(const Problem& p, FitResult& r, std::ostream& log) {
  std::vector<double> mid;
  for (const auto& fp : p.params) mid.push_back((fp.lo + fp.hi) / 2);
  std::vector<double> all_errors;
  for (const auto& fam : families_in(p.rows)) {
    const auto [use, held] = lofo_masks(p.rows, fam);
    FamilyOut out{fam, static_cast<int>(std::count(held.begin(), held.end(), true)), 0, "", {}};
    const size_t fit_rows = static_cast<size_t>(std::count(use.begin(), use.end(), true));
    if (fit_rows < p.params.size() + 2) {
      out.skipped = "the other families have " + std::to_string(fit_rows) + " measured rows, " +
                    std::to_string(p.params.size()) + " parameters need " + std::to_string(p.params.size() + 2);
      log << "  leave-family-out " << fam << ": skipped (" << out.skipped << ")\n";
      r.lofo_families.push_back(out);
      continue;
    }
    const auto x = fit(p, mid, use);
    for (size_t i = 0; i < p.params.size(); ++i) out.values.emplace_back(p.params[i].key, x[i]);
    const auto pred = p.simulate(x, held);
    std::vector<double> errors;
    for (size_t k = 0; k < p.rows.size(); ++k) {
      if (!held[k]) continue;
      errors.push_back(relative_error(pred[k], p.rows[k].measured_ms));
      r.lofo.emplace_back(p.rows[k].paper_model, errors.back());
      log << "  leave-family-out " << fam << " " << p.rows[k].paper_model << ": " << 100 * errors.back() << "%\n";
    }
    out.mape = mape(errors);
    all_errors.insert(all_errors.end(), errors.begin(), errors.end());
    r.lofo_families.push_back(out);
  }
  r.lofo_mape = mape(all_errors);
}

int count_lofo_fits(const Problem& p) {
  int n = 0;
  for (const auto& fam : families_in(p.rows)) {
    const auto use = lofo_masks(p.rows, fam).first;
    n += static_cast<size_t>(std::count(use.begin(), use.end(), true)) >= p.params.size() + 2;
  }
  return n;
}

FitResult run_fit(Problem& p, const std::string& accelerator, const FitOptions& options, std::ostream& log) {
  const auto& params = p.params;
  std::vector<bool> fitted;
  for (const auto& m : p.rows) fitted.push_back(m.fit);
  const size_t fit_rows = static_cast<size_t>(std::count(fitted.begin(), fitted.end(), true));
  if (fit_rows < params.size() + 2) {
    throw UsageError("calibrate: " + std::to_string(fit_rows) + " measurements of '" + accelerator +
                     "' are too few to fit " + std::to_string(params.size()) + " parameters (at least " +
                     std::to_string(params.size() + 2) + ")");
  }
  std::vector<double> x0;
  for (const auto& fp : params) {
    const accel::ParamValue v = p.bases.front().value(fp.key);  // UsageError naming the key when there is none
    const double* d = std::get_if<double>(&v);
    if (!d) throw UsageError("calibrate: key '" + fp.key + "' of " + accelerator + " is not a number");
    x0.push_back(std::clamp(*d, fp.lo, fp.hi));
  }
  if (options.leave_family_out && families_in(p.rows).size() < 2) {
    throw UsageError("calibrate: --lofo holds out one network family at a time: the rows of '" + accelerator +
                     "' are all of one family (" + families_in(p.rows).front() + ")");
  }
  p.progress.fits = 1 + (options.leave_one_out ? static_cast<int>(fit_rows) : 0) +
                    (options.leave_family_out ? count_lofo_fits(p) : 0);
  if (options.sweeps < 1 || options.sweeps > 100) {
    throw UsageError("calibrate: --sweeps must be in [1, 100], got " + std::to_string(options.sweeps));
  }
  p.sweeps = options.sweeps;
  p.progress.total = p.progress.fits * (simulations_per_fit(p.sweeps, params.size()) + 1);
  p.report = options.progress;

  FitResult r;
  const auto x = fit(p, x0, fitted);
  for (size_t i = 0; i < params.size(); ++i) r.values.emplace_back(params[i].key, x[i]);
  r.objective = p.objective(x, fitted);
  const auto sim = p.run(x, fitted);
  std::vector<double> errors, intensity_errors;
  for (size_t i = 0; i < sim.size(); ++i) {
    if (!fitted[i]) continue;
    errors.push_back(relative_error(sim[i].latency_ms, p.rows[i].measured_ms));
    if (p.rows[i].paper_intensity > 0) {
      intensity_errors.push_back(relative_error(sim[i].intensity, p.rows[i].paper_intensity));
    }
  }
  r.mape = mape(errors);
  r.intensity_rows = static_cast<int>(intensity_errors.size());
  r.intensity_mape = intensity_errors.empty() ? 0 : mape(intensity_errors);
  log << "fitted " << accelerator << ": MAPE " << 100 * r.mape << "% on " << fit_rows << " rows";
  if (r.intensity_rows > 0) log << ", intensity MAPE " << 100 * r.intensity_mape << "% on " << r.intensity_rows;
  log << "\n";
  if (options.leave_one_out) {
    std::vector<double> loo_errors;
    for (size_t k = 0; k < p.rows.size(); ++k) {
      if (!fitted[k]) continue;
      std::vector<bool> use = fitted, only(p.rows.size(), false);
      use[k] = false;
      only[k] = true;
      const auto xk = fit(p, x, use);
      const double pred = p.simulate(xk, only)[k];
      loo_errors.push_back(relative_error(pred, p.rows[k].measured_ms));
      r.loo.emplace_back(p.rows[k].paper_model, loo_errors.back());
      log << "  leave-one-out " << p.rows[k].paper_model << ": " << 100 * loo_errors.back() << "%\n";
    }
    r.loo_mape = mape(loo_errors);
  }
  if (options.leave_family_out) leave_family_out(p, r, log);
  return r;
}

// `set` applies after each row's own settings (row_settings), as in validate.
Problem make_problem(const accel::AcceleratorConfig& loaded, const std::vector<std::string>& set,
                     const std::vector<FitParam>& params, const std::vector<Measurement>& rows) {
  Problem p{{loaded.with_text(set)}, {}, params, {}, {}, true, 2, {}, {}};
  std::vector<std::vector<std::string>> settings{{}};  // of each entry of p.bases
  traces::BuildOptions o;
  RowNetworks networks;
  for (const auto& m : rows) {  // every row: held-out and prediction rows are never fitted on, only predicted
    const auto rs = row_settings(m);
    const size_t k = static_cast<size_t>(std::find(settings.begin(), settings.end(), rs) - settings.begin());
    if (k == settings.size()) {
      settings.push_back(rs);
      p.bases.push_back(loaded.with_text(rs).with_text(set));
    }
    p.base_of.push_back(k);
    o.dtype = p.bases[k].build()->info().precision;
    p.rows.push_back(m);
    o.batch = m.batch;
    o.seq_len = m.seq_len;
    p.nets.push_back(networks.build(m, o));
    if (m.paper_intensity > 0 && p.nets.back().macs() == 0) {  // W = 0: its simulated intensity would be 0
      throw UsageError("calibrate: row '" + m.paper_model + "' gives an intensity, but its network does no " +
                       "multiply-accumulate (W = 0, so W / Q is 0 whatever is fitted)");
    }
  }
  return p;
}

}  // namespace

FitResult calibrate(const std::string& accelerator, const std::vector<FitParam>& params, const FitOptions& options,
                    std::ostream& log, const std::vector<std::string>& set) {
  if (params.empty()) throw UsageError("calibrate: no parameters to fit for '" + accelerator + "' (calibration.yaml)");
  std::vector<Measurement> rows;
  for (const auto& m : published_measurements()) {
    if (m.accelerator == accelerator) rows.push_back(m);
  }
  Problem p = make_problem(accel::AcceleratorConfig::load(accelerator), set, params, rows);
  return run_fit(p, accelerator, options, log);
}

FitResult calibrate_rows(const std::string& accelerator, const std::vector<std::string>& set,
                         const std::vector<Measurement>& rows, const std::vector<FitParam>& params,
                         const FitOptions& options, std::ostream& log) {
  if (params.empty()) {
    throw UsageError("calibrate: no default parameters to fit for '" + accelerator +
                     "': name them with --fit KEY=LO:HI (e.g. --fit stack.hbm_efficiency=0.3:1)");
  }
  Problem p = make_problem(accel::AcceleratorConfig::load(accelerator), set, params, rows);
  p.paper_ratios = false;
  return run_fit(p, accelerator, options, log);
}

std::vector<FitParam> default_fit_params(const std::string& accelerator, const std::vector<std::string>& set) {
  auto own = fit_params(accelerator);
  if (!own.empty()) return own;
  const auto config = accel::AcceleratorConfig::load(accelerator).with_text(set);
  const auto keys = config.keys();
  const std::string profile = config.family() == "gpu" ? std::get<std::string>(config.value("stack.profile")) : "";
  std::vector<FitParam> mapped_fallback;
  for (const auto& entry : calibration_accelerators()) {
    if (accel::AcceleratorConfig::load(entry).family() != config.family()) continue;
    bool exact = true, present = true;
    std::vector<FitParam> params = fit_params(entry);
    for (auto& fp : params) {
      const std::string prefix = "stack.profiles.";
      if (fp.key.compare(0, prefix.size(), prefix) == 0) {
        const size_t dot = fp.key.find('.', prefix.size());
        if (fp.key.substr(prefix.size(), dot - prefix.size()) != profile) exact = false;
        fp.key = prefix + profile + fp.key.substr(dot);
      }
      present = present && std::find(keys.begin(), keys.end(), fp.key) != keys.end();
    }
    if (!present) continue;
    if (exact) return params;
    if (mapped_fallback.empty()) mapped_fallback = params;
  }
  return mapped_fallback;
}

FitParam parse_fit_param(const std::string& text, const std::string& accelerator, const std::vector<std::string>& set) {
  const std::string what = "--fit '" + text + "'";
  const size_t eq = text.find('='), colon = text.find(':', eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq == 0 || colon == std::string::npos) {
    throw UsageError(what + ": expected KEY=LO:HI (e.g. stack.hbm_efficiency=0.3:1)");
  }
  const auto config = accel::AcceleratorConfig::load(accelerator).with_text(set);
  const std::string key = config.resolve(text.substr(0, eq));
  const accel::ParamValue v = config.value(key);  // an unknown key: UsageError with the nearest keys
  if (key.compare(0, 6, "stack.") != 0 || !std::get_if<double>(&v)) {
    throw UsageError(what + ": calibrate fits numeric software-stack (stack:) keys only, not '" + key + "'");
  }
  FitParam fp{key, 0, 0};
  char* end = nullptr;
  const std::string lo = text.substr(eq + 1, colon - eq - 1), hi = text.substr(colon + 1);
  fp.lo = std::strtod(lo.c_str(), &end);
  const bool lo_ok = !lo.empty() && *end == '\0';
  fp.hi = std::strtod(hi.c_str(), &end);
  const bool hi_ok = !hi.empty() && *end == '\0';
  if (!lo_ok || !hi_ok || !std::isfinite(fp.lo) || !std::isfinite(fp.hi) || !(fp.lo < fp.hi)) {
    throw UsageError(what + ": expected finite bounds LO < HI, got '" + lo + "' and '" + hi + "'");
  }
  return fp;
}

namespace {

// The line of a YAML file that holds a scalar at a dotted key: its index, its indent and its leaf name.
struct ScalarLine {
  size_t index;
  std::string indent, leaf;
};

std::vector<std::string> read_lines(const std::string& yaml_file) {
  std::ifstream in(yaml_file);
  if (!in) throw UsageError(yaml_file + ": cannot open file");
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// The line of each key in `keys` (block-style YAML, two spaces per level, as `accelerators --yaml` writes it);
// UsageError naming the file and the first key not found.
std::vector<ScalarLine> locate_keys(const std::string& yaml_file, const std::vector<std::string>& lines,
                                    const std::vector<std::string>& keys) {
  std::vector<std::optional<ScalarLine>> found(keys.size());
  std::vector<std::string> path;
  const std::regex entry(R"(^( *)([A-Za-z0-9_]+):(\s*)([^#]*?)\s*(#.*)?$)");
  for (size_t n = 0; n < lines.size(); ++n) {
    std::smatch m;
    if (!std::regex_match(lines[n], m, entry)) continue;
    path.resize(m[1].length() / 2);
    path.push_back(m[2]);
    if (m[4].length() == 0) continue;  // a mapping, not a scalar
    std::string key;
    for (const auto& p : path) key += (key.empty() ? "" : ".") + p;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) found[i] = ScalarLine{n, m[1], m[2]};
    }
  }
  std::vector<ScalarLine> at;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!found[i]) throw UsageError(yaml_file + ": key '" + keys[i] + "' not found");
    at.push_back(*found[i]);
  }
  return at;
}

}  // namespace

void check_fitted_keys(const std::string& yaml_file, const std::vector<std::string>& keys) {
  locate_keys(yaml_file, read_lines(yaml_file), keys);
}

void write_fitted(const std::string& yaml_file, const std::vector<std::pair<std::string, double>>& values,
                  const std::string& note) {
  std::vector<std::string> lines = read_lines(yaml_file), keys;
  for (const auto& kv : values) keys.push_back(kv.first);
  const std::vector<ScalarLine> at = locate_keys(yaml_file, lines, keys);
  for (size_t i = 0; i < values.size(); ++i) {
    char buf[64];
    const double v = values[i].second;
    std::snprintf(buf, sizeof buf, std::fabs(v) >= 1000 ? "%.0f" : "%.3g", v);
    std::string head = at[i].indent + at[i].leaf + ": " + buf + " ";
    if (head.size() < 29) head.resize(29, ' ');
    lines[at[i].index] = head + "# " + note;
  }
  traces::OutputFile out(yaml_file);  // written whole, every byte checked, then renamed over the file
  for (const auto& l : lines) out.write(l + "\n");
  out.commit();
}

}  // namespace rp::validation
