#include "experiments/validation/validate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "experiments/validation/stats.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

namespace rp::validation {
namespace {

const RowResult* find(const std::vector<RowResult>& rows, const std::string& paper_model) {
  for (const auto& r : rows) {
    if (r.m.paper_model == paper_model) return &r;
  }
  return nullptr;
}

std::string with_set(const std::vector<std::string>& set) {
  std::string s;
  for (const auto& kv : set) s += " --set " + kv;
  return s.empty() ? "" : " with" + s;
}

// Whether `kv` is refused by `name` but accepted by a built-in of the other family (a key of one family).
bool other_familys_key(const std::string& name, const std::string& kv) {
  try {
    accel::make_accelerator(name, {kv});
    return false;
  } catch (const UsageError&) {}
  for (const char* other : {"tpuv3", "v100"}) {
    try {
      accel::make_accelerator(other, {kv});
      return true;
    } catch (const UsageError&) {}
  }
  return false;
}

// The accelerator of one validated name with the overrides: a key only the other family has says that --set
// applies to every validated accelerator, so a family's key needs --accel naming that family's accelerators.
std::shared_ptr<const accel::IAccelerator> make_validated(const std::string& name,
                                                          const std::vector<std::string>& set) {
  try {
    return accel::make_accelerator(name, set);
  } catch (const UsageError& e) {
    for (const std::string& kv : set) {
      if (other_familys_key(name, kv)) {
        throw UsageError(std::string(e.what()) +
                         "; validate --set applies to every validated accelerator: for a key of one family, name "
                         "that family's accelerators with --accel");
      }
    }
    throw;
  }
}

// One row simulated; a row that cannot be (e.g. a --set leaving too little memory) is named with the reason.
sim::SimResult simulate_row(const Measurement& m, const traces::BuildOptions& o, const accel::IAccelerator& acc,
                            const std::vector<std::string>& set, RowNetworks& networks) {
  try {
    return accel::simulate(networks.build(m, o), acc);
  } catch (const SimulationError& e) {
    throw SimulationError("validate: row '" + m.paper_model + "' (model " + m.model + ", batch " +
                          std::to_string(m.batch) + ") on " + m.accelerator + with_set(set) +
                          " cannot be simulated: " + e.what());
  }
}

}  // namespace

std::vector<RatioCheck> ratio_checks(const std::vector<RowResult>& rows) {
  // name, numerator row, denominator row: ratio = latency(num) / latency(den).
  const std::vector<std::array<std::string, 3>> defs = {
      {"EfficientNet-X-B0 speedup over EfficientNet-B0", "EfficientNet-B0", "EfficientNet-X-B0"},
      {"EfficientNet-B7 / EfficientNet-B0 latency growth", "EfficientNet-B7", "EfficientNet-B0"},
      {"Table 4: B0 -> +space-to-depth speedup", "EfficientNet-B0", "EfficientNet-B0 +SpaceToDepth"},
      {"Table 4: +space-to-depth -> +fused conv speedup", "EfficientNet-B0 +SpaceToDepth",
       "EfficientNet-B0 +SpaceToDepth +Fused Conv"},
      {"Table 4: +fused conv -> +activation (X-B0) speedup", "EfficientNet-B0 +SpaceToDepth +Fused Conv",
       "EfficientNet-X-B0"}};
  std::vector<RatioCheck> out;
  for (const auto& d : defs) {
    const RowResult *num = find(rows, d[1]), *den = find(rows, d[2]);
    if (!num || !den) continue;
    RatioCheck c{d[0], num->simulated_ms / den->simulated_ms, num->m.measured_ms / den->m.measured_ms, 0};
    c.error = relative_error(c.simulated, c.measured);
    out.push_back(c);
  }
  return out;
}

AccelSummary summarize(const std::string& accelerator, const std::string& group, const std::vector<RowResult>& rows) {
  AccelSummary s;
  s.accelerator = accelerator;
  s.group = group;
  s.rows = static_cast<int>(rows.size());
  std::vector<double> errors, sim, meas;
  for (const auto& r : rows) {
    errors.push_back(r.error);
    sim.push_back(r.simulated_ms);
    meas.push_back(r.m.measured_ms);
  }
  s.mape = mape(errors);
  s.max_error = max_abs(errors);
  s.spearman = s.rows >= kMinRankRows ? spearman(sim, meas) : std::nan("");
  s.ratios = ratio_checks(rows);
  std::vector<double> fit_errors, held_errors;
  for (const auto& r : rows) (r.m.fit ? fit_errors : held_errors).push_back(r.error);
  s.rows_fit = static_cast<int>(fit_errors.size());
  s.rows_held = static_cast<int>(held_errors.size());
  s.mape_fit = mape(fit_errors);
  s.mape_held = mape(held_errors);
  for (const auto& r : rows) {
    if (std::none_of(s.families.begin(), s.families.end(), [&](const auto& f) { return f.family == r.m.family; })) {
      s.families.push_back({r.m.family, 0, 0, 0});
    }
  }
  for (auto& f : s.families) {
    std::vector<double> e, fs, fm;
    for (const auto& r : rows) {
      if (r.m.family != f.family) continue;
      e.push_back(r.error);
      fs.push_back(r.simulated_ms);
      fm.push_back(r.m.measured_ms);
    }
    f.rows = static_cast<int>(e.size());
    f.mape = mape(e);
    f.spearman = f.rows >= kMinRankRows ? spearman(fs, fm) : std::nan("");
  }
  return s;
}

IntensityCount count_intensity(const std::vector<RowResult>& rows, const std::string& accelerator) {
  IntensityCount c;
  for (const auto& r : rows) {
    if (r.m.accelerator != accelerator || !(r.m.paper_intensity > 0)) continue;
    ++c.rows;
    c.within += std::fabs(r.intensity_error) <= kIntensityTolerance;
  }
  return c;
}

ValidationReport validate(const std::vector<std::string>& accelerators,
                          const std::map<std::string, std::vector<std::string>>& overrides) {
  std::vector<std::string> accs = accelerators;
  if (accs.empty()) {
    for (const auto& m : published_measurements()) {
      if (std::find(accs.begin(), accs.end(), m.accelerator) == accs.end()) accs.push_back(m.accelerator);
    }
  }
  ValidationReport report;
  RowNetworks networks;
  for (const auto& name : accs) {
    const auto it = overrides.find(name);
    const std::vector<std::string> set = it == overrides.end() ? std::vector<std::string>{} : it->second;
    // The accelerator as named with `set`, and as each row's settings (row_settings: its stack_set and dtype)
    // change it, `set` after them.
    std::map<std::vector<std::string>, std::shared_ptr<const accel::IAccelerator>> built{
        {{}, make_validated(name, set)}};
    traces::BuildOptions o;
    std::vector<std::pair<std::string, std::vector<RowResult>>> groups;  // in first-seen order: "" first
    for (const auto& m : published_measurements()) {
      if (m.accelerator != name) continue;
      auto& acc = built[row_settings(m)];
      if (!acc) {
        std::vector<std::string> all = row_settings(m);
        all.insert(all.end(), set.begin(), set.end());
        acc = make_validated(name, all);
      }
      o.dtype = acc->info().precision;
      o.batch = m.batch;
      o.seq_len = m.seq_len;
      const auto sim = simulate_row(m, o, *acc, set, networks);
      RowResult r{m,
                  sim.latency_ms,
                  relative_error(sim.latency_ms, m.measured_ms),
                  sim.intensity,
                  sim.efficiency,
                  std::nan(""),
                  std::nan("")};
      if (m.paper_intensity > 0) r.intensity_error = relative_error(sim.intensity, m.paper_intensity);
      if (m.paper_efficiency > 0) r.efficiency_error = relative_error(sim.efficiency, m.paper_efficiency);
      auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.first == m.group; });
      if (g == groups.end()) g = groups.insert(groups.end(), {m.group, {}});
      g->second.push_back(r);
    }
    if (groups.empty()) throw UsageError("no published measurements for accelerator '" + name + "'");
    std::vector<RowResult> every;
    for (const auto& [group, rows] : groups) {
      report.accelerators.push_back(summarize(name, group, rows));
      report.rows.insert(report.rows.end(), rows.begin(), rows.end());
      every.insert(every.end(), rows.begin(), rows.end());
    }
    report.corpus.push_back(summarize(name, "", every));
  }
  return report;
}

}  // namespace rp::validation
