#include "experiments/validation/calibrate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <regex>
#include <sstream>

#include "accel_models/config/accelerator_config.h"
#include "accel_models/simulate.h"
#include "experiments/validation/stats.h"
#include "experiments/validation/validate.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

namespace rp::validation {
namespace {

struct Problem {
  accel::AcceleratorConfig base;
  std::vector<FitParam> params;
  std::vector<Measurement> rows;
  std::vector<traces::Network> nets;

  std::vector<double> simulate(const std::vector<double>& x) const {
    // Typed overrides of the config read once; each value rounded to the 6 significant digits it is written with.
    std::vector<accel::Override> sets;
    for (size_t i = 0; i < params.size(); ++i) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", x[i]);
      sets.push_back({params[i].key, std::strtod(buf, nullptr)});
    }
    const auto acc = base.with(sets).build();
    std::vector<double> out;
    for (const auto& n : nets) out.push_back(accel::simulate(n, *acc).latency_ms);
    return out;
  }

  // Mean |ln(sim / meas)| over the rows in `use`, plus the same for the paper's ratio checks (X-B0 / B0 speedup,
  // B7 / B0 growth, Table 4 steps) among those rows: the relative speeds are what NAS uses.
  double objective(const std::vector<double>& x, const std::vector<bool>& use) const {
    const auto sim = simulate(x);
    double s = 0;
    std::vector<RowResult> kept;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!use[i]) continue;
      s += std::fabs(std::log(sim[i] / rows[i].measured_ms));
      kept.push_back({rows[i], sim[i], 0});
    }
    double total = kept.empty() ? 0 : s / static_cast<double>(kept.size());
    const auto ratios = ratio_checks(kept);
    double r = 0;
    for (const auto& c : ratios) r += std::fabs(std::log(c.simulated / c.measured));
    if (!ratios.empty()) total += r / static_cast<double>(ratios.size());
    return total;
  }
};

// Coordinate descent: golden-section search on each parameter in turn, a few sweeps.
std::vector<double> fit(const Problem& p, std::vector<double> x, const std::vector<bool>& use) {
  const double g = (std::sqrt(5.0) - 1) / 2;
  for (int sweep = 0; sweep < 2; ++sweep) {
    for (size_t i = 0; i < p.params.size(); ++i) {
      double a = p.params[i].lo, b = p.params[i].hi;
      auto f = [&](double v) {
        std::vector<double> y = x;
        y[i] = v;
        return p.objective(y, use);
      };
      double c = b - g * (b - a), d = a + g * (b - a), fc = f(c), fd = f(d);
      for (int it = 0; it < 14; ++it) {
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

bool in_efficientnet_b_family(const Measurement& m) {
  return std::regex_match(m.model, std::regex("efficientnet-b[0-7]"));
}

FitResult calibrate(const std::string& accelerator, const std::vector<FitParam>& params, const FitOptions& options,
                    std::ostream& log) {
  if (params.empty()) throw UsageError("calibrate: no parameters to fit for '" + accelerator + "' (calibration.yaml)");
  Problem p{accel::AcceleratorConfig::load(accelerator), params, {}, {}};
  traces::BuildOptions o;
  o.dtype = p.base.build()->info().precision;
  for (const auto& m : published_measurements()) {
    if (m.accelerator != accelerator || !m.fit) continue;  // prediction rows are never fitted on
    p.rows.push_back(m);
    o.batch = m.batch;
    p.nets.push_back(traces::build_model(m.model, o));
  }
  if (p.rows.size() < params.size() + 2) {
    throw UsageError("calibrate: too few measurements for '" + accelerator + "' to fit " +
                     std::to_string(params.size()) + " parameters");
  }
  std::vector<double> x0;
  for (const auto& fp : params) {
    const accel::ParamValue v = p.base.value(fp.key);  // UsageError naming the key when there is none
    const double* d = std::get_if<double>(&v);
    if (!d) throw UsageError("calibrate: key '" + fp.key + "' of " + accelerator + " is not a number");
    x0.push_back(std::clamp(*d, fp.lo, fp.hi));
  }

  FitResult r;
  const std::vector<bool> all(p.rows.size(), true);
  const auto x = fit(p, x0, all);
  for (size_t i = 0; i < params.size(); ++i) r.values.emplace_back(params[i].key, x[i]);
  r.objective = p.objective(x, all);
  const auto sim = p.simulate(x);
  std::vector<double> errors;
  for (size_t i = 0; i < sim.size(); ++i) errors.push_back(relative_error(sim[i], p.rows[i].measured_ms));
  r.mape = mape(errors);
  log << "fitted " << accelerator << ": MAPE " << 100 * r.mape << "% on " << p.rows.size() << " rows\n";
  if (options.leave_one_out) {
    std::vector<double> loo_errors;
    for (size_t k = 0; k < p.rows.size(); ++k) {
      std::vector<bool> use = all;
      use[k] = false;
      const auto xk = fit(p, x, use);
      const double pred = p.simulate(xk)[k];
      loo_errors.push_back(relative_error(pred, p.rows[k].measured_ms));
      r.loo.emplace_back(p.rows[k].paper_model, loo_errors.back());
      log << "  leave-one-out " << p.rows[k].paper_model << ": " << 100 * loo_errors.back() << "%\n";
    }
    r.loo_mape = mape(loo_errors);
  }
  if (options.leave_family_out) {
    // Fit on the EfficientNet-B rows only, predict the rest. The fit starts from the middle of each parameter's
    // bounds, not from the config's values (those were fitted on every row, the held-out family included).
    std::vector<bool> use(p.rows.size());
    for (size_t k = 0; k < p.rows.size(); ++k) use[k] = in_efficientnet_b_family(p.rows[k]);
    std::vector<double> mid;
    for (const auto& fp : params) mid.push_back((fp.lo + fp.hi) / 2);
    const auto xf = fit(p, mid, use);
    const auto pred = p.simulate(xf);
    std::vector<double> errors;
    for (size_t k = 0; k < p.rows.size(); ++k) {
      if (use[k]) continue;
      errors.push_back(relative_error(pred[k], p.rows[k].measured_ms));
      r.lofo.emplace_back(p.rows[k].paper_model, errors.back());
      log << "  leave-family-out " << p.rows[k].paper_model << ": " << 100 * errors.back() << "%\n";
    }
    if (errors.empty())
      throw UsageError("calibrate: every row of '" + accelerator + "' is an EfficientNet-B row: nothing to predict");
    r.lofo_mape = mape(errors);
  }
  return r;
}

void write_fitted(const std::string& yaml_file, const std::vector<std::pair<std::string, double>>& values,
                  const std::string& note) {
  std::ifstream in(yaml_file);
  if (!in) throw UsageError(yaml_file + ": cannot open file");
  std::vector<std::string> lines, path;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  std::vector<bool> done(values.size(), false);
  const std::regex entry(R"(^( *)([A-Za-z0-9_]+):(\s*)([^#]*?)\s*(#.*)?$)");
  for (auto& l : lines) {
    std::smatch m;
    if (!std::regex_match(l, m, entry)) continue;
    const size_t level = m[1].length() / 2;
    path.resize(level);
    path.push_back(m[2]);
    if (m[4].length() == 0) continue;  // a mapping, not a scalar
    std::string key;
    for (const auto& p : path) key += (key.empty() ? "" : ".") + p;
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i].first != key) continue;
      char buf[64];
      const double v = values[i].second;
      std::snprintf(buf, sizeof buf, std::fabs(v) >= 1000 ? "%.0f" : "%.3g", v);
      std::string head = std::string(m[1]) + std::string(m[2]) + ": " + buf + " ";
      if (head.size() < 29) head.resize(29, ' ');
      l = head + "# " + note;
      done[i] = true;
    }
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (!done[i]) throw UsageError(yaml_file + ": key '" + values[i].first + "' not found");
  }
  std::ofstream out(yaml_file);
  for (const auto& l : lines) out << l << "\n";
}

}  // namespace rp::validation
