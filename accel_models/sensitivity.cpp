#include "accel_models/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "accel_models/evaluate.h"
#include "simulator/error.h"
#include "simulator/result_schema.h"

namespace rp::accel {

namespace {

// Keys that are numeric but no hardware design choice, left out unless Options::keys names them: the batch comes
// with the network; the energy: and area: sections are the cost model's coefficients (pJ per MAC, static watts,
// mm^2 per MiB) and budgets (docs/energy.md), whose elasticities follow from the formulas, not from the design.
bool is_excluded(const std::string& key) {
  return key == "default_batch" || key.rfind("energy.", 0) == 0 || key.rfind("area.", 0) == 0;
}

bool is_numeric(const ParamInfo& p) { return p.type == "real" || p.type == "integer"; }

// The index in sim::result_fields() of the field `name`, or -1 when the schema has none.
int field_index(const std::string& name) {
  const auto& fields = sim::result_fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (name == fields[i].name) return static_cast<int>(i);
  }
  return -1;
}

struct Run {
  std::vector<double> figures;         // per modelled target
  std::map<std::string, double> busy;  // unit kind -> busy ms per instance
};

Run run_of(const sim::SimResult& r, const std::vector<int>& fields) {
  Run run;
  for (int i : fields) run.figures.push_back(sim::result_fields()[static_cast<size_t>(i)].get(r));
  for (const auto& u : r.units) run.busy[u.name] = u.instances > 0 ? u.busy_ms / u.instances : u.busy_ms;
  return run;
}

// The stepped value of `x0` (direction -1 or +1), rounded for an integer key.
double stepped(double x0, double step, int direction, bool integer) {
  const double x = x0 * (1 + direction * step);
  if (!integer) return x;
  const double r = std::round(x);
  return r == x0 ? x0 + direction : r;
}

std::optional<double> elasticity(double y0, double y1, double x0, double x1) {
  if (!(y0 > 0) || !(y1 > 0)) return std::nullopt;
  return std::log(y1 / y0) / std::log(x1 / x0);
}

struct Context {
  const AcceleratorConfig& base;
  const traces::Network& net;
  const SensitivityOptions& options;
  const std::vector<int>& fields;
  int64_t& simulations;
};

// One direction of `p`: the probe and, when evaluated, the run.
std::pair<Probe, std::optional<Run>> probe(Context& c, const ParamInfo& p, double x0, int direction, const Run& base) {
  Probe pr;
  const bool integer = p.type == "integer";
  pr.value = stepped(x0, c.options.step, direction, integer);
  if (x0 == 0) {
    pr.reason = "base value is 0: no relative step";
    return {pr, std::nullopt};
  }
  if (!p.spec.within(pr.value)) {
    pr.reason = format_number(pr.value) + " is out of bounds: " + p.spec.bounds_text(integer, pr.value);
    return {pr, std::nullopt};
  }
  std::shared_ptr<const IAccelerator> acc;
  try {
    acc = c.base.with({{p.key, pr.value}}).build();
  } catch (const UsageError& e) {
    pr.reason = std::string("config refused: ") + e.what();
    return {pr, std::nullopt};
  }
  const Evaluation e = evaluate(c.net, *acc);
  ++c.simulations;
  if (c.options.on_simulation) c.options.on_simulation(p.key, pr.value);
  if (!e.ok) {
    pr.reason = "infeasible: " + e.reason;
    return {pr, std::nullopt};
  }
  Run run = run_of(e.result, c.fields);
  pr.evaluated = true;
  pr.figures = run.figures;
  for (size_t i = 0; i < run.figures.size(); ++i) {
    pr.elasticity.push_back(elasticity(base.figures[i], run.figures[i], x0, pr.value));
  }
  return {pr, std::move(run)};
}

// The unit kind whose busy time per instance changes most over the evaluated runs; "" when none changes.
std::string binding(const Run& base, const std::vector<const Run*>& runs) {
  std::string best;
  double most = 0;
  for (const Run* r : runs) {
    std::map<std::string, double> all = base.busy;
    for (const auto& [name, ms] : r->busy) all.emplace(name, 0.0);
    for (const auto& [name, ignored] : all) {
      (void)ignored;
      const auto b = base.busy.find(name);
      const auto v = r->busy.find(name);
      const double change = std::abs((v == r->busy.end() ? 0.0 : v->second) - (b == base.busy.end() ? 0.0 : b->second));
      if (change > most) {
        most = change;
        best = name;
      }
    }
  }
  return best;
}

double score_of(const KeySensitivity& k) {
  double s = -1;
  for (const Probe* p : {&k.down, &k.up}) {
    for (const auto& e : p->elasticity) {
      if (e) s = std::max(s, std::abs(*e));
    }
    if (p->evaluated) s = std::max(s, 0.0);
  }
  return s;
}

std::vector<ParamInfo> selected_keys(const AcceleratorConfig& config, const std::vector<std::string>& keys) {
  if (keys.empty()) return numeric_keys(config);
  const std::vector<ParamInfo> all = config.params();
  std::vector<ParamInfo> out;
  for (const std::string& k : keys) {
    const std::string full = config.resolve(k);
    const auto it = std::find_if(all.begin(), all.end(), [&](const ParamInfo& p) { return p.key == full; });
    if (it == all.end()) throw UsageError("sensitivity: " + config.unknown_key_message(k));
    if (!is_numeric(*it) || full == "default_batch") {  // the cost-model keys only when named
      throw UsageError("sensitivity: key '" + k + "' of " + config.label() + " is " +
                       (is_numeric(*it) ? std::string("no hardware key (the batch comes with the network)")
                                        : "a " + it->type + ", not a number") +
                       "; sensitivity varies real and integer hardware keys");
    }
    out.push_back(*it);
  }
  return out;
}

}  // namespace

const std::vector<SensitivityTarget>& sensitivity_targets() {
  static const std::vector<SensitivityTarget> t = {
      {"latency", "latency_ms"},
      {"energy", "energy_per_inference_mj"},
  };
  return t;
}

std::vector<ParamInfo> numeric_keys(const AcceleratorConfig& config) {
  std::vector<ParamInfo> out;
  for (const ParamInfo& p : config.params()) {
    if (is_numeric(p) && !is_excluded(p.key)) out.push_back(p);
  }
  std::sort(out.begin(), out.end(), [](const ParamInfo& a, const ParamInfo& b) { return a.key < b.key; });
  return out;
}

Sensitivity sensitivity(const AcceleratorConfig& base, const traces::Network& net, const SensitivityOptions& options) {
  if (!(options.step > 0 && options.step < 1)) {
    throw UsageError("sensitivity: step must be in (0, 1) (a relative change: 0.1 is 10%), got " +
                     format_number(options.step));
  }
  const std::vector<ParamInfo> keys = selected_keys(base, options.keys);
  Sensitivity s;
  s.step = options.step;
  std::vector<int> fields;
  for (const SensitivityTarget& t : sensitivity_targets()) {
    const int i = field_index(t.field);
    (i < 0 ? s.not_modelled : s.targets).push_back(t);
    if (i >= 0) fields.push_back(i);
  }
  const Evaluation e0 = evaluate(net, *base.build());
  s.simulations = 1;
  if (options.on_simulation) options.on_simulation("", 0);
  if (!e0.ok)
    throw SimulationError("sensitivity: " + net.name() + " is infeasible on " + base.label() + ": " + e0.reason);
  const Run run0 = run_of(e0.result, fields);
  s.base = run0.figures;
  for (const auto& u : e0.result.units) {
    if (s.bottleneck.empty() || u.busy_fraction > s.bottleneck_busy) {
      s.bottleneck = u.name;
      s.bottleneck_busy = u.busy_fraction;
    }
  }
  Context c{base, net, options, fields, s.simulations};
  for (const ParamInfo& p : keys) {
    KeySensitivity k;
    k.key = p.key;
    k.unit = p.spec.unit;
    k.type = p.type;
    k.base = std::get<double>(base.value(p.key));
    auto [down, run_down] = probe(c, p, k.base, -1, run0);
    auto [up, run_up] = probe(c, p, k.base, +1, run0);
    k.down = std::move(down);
    k.up = std::move(up);
    std::vector<const Run*> runs;
    if (run_down) runs.push_back(&*run_down);
    if (run_up) runs.push_back(&*run_up);
    k.binding_unit = binding(run0, runs);
    if (k.binding_unit.empty() && !runs.empty()) k.binding_unit = s.bottleneck;
    k.score = score_of(k);
    s.rows.push_back(std::move(k));
  }
  std::stable_sort(s.rows.begin(), s.rows.end(),
                   [](const KeySensitivity& a, const KeySensitivity& b) { return a.score > b.score; });
  return s;
}

}  // namespace rp::accel
