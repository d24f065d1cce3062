#include "experiments/cli/sensitivity_output.h"

#include <iomanip>
#include <ostream>
#include <sstream>

#include "experiments/cli/format.h"
#include "simulator/result_schema.h"

namespace rp::cli {

namespace {

std::string unit_of(const char* field) {
  for (const auto& f : sim::result_fields()) {
    if (std::string(f.name) == field) return f.unit;
  }
  return "";
}

std::string not_modelled_text(const accel::SensitivityTarget& t) {
  return std::string("not modelled (the result schema has no ") + t.field + ")";
}

nlohmann::json elasticity_json(const std::optional<double>& e) { return e ? nlohmann::json(*e) : nlohmann::json(); }

nlohmann::json probe_json(const accel::Probe& p, const accel::Sensitivity& s) {
  nlohmann::json j = {{"value", p.value}, {"evaluated", p.evaluated}};
  if (!p.evaluated) {
    j["reason"] = p.reason;
    return j;
  }
  for (size_t i = 0; i < s.targets.size(); ++i) {
    j[s.targets[i].field] = p.figures[i];
    j[std::string(s.targets[i].name) + "_elasticity"] = elasticity_json(p.elasticity[i]);
  }
  return j;
}

// Up to 6 significant digits: a key's value as the table shows it.
std::string short_number(double v) {
  std::ostringstream s;
  s << std::setprecision(6) << v;
  return s.str();
}

std::string elasticity_cell(const accel::Probe& p, size_t target) {
  if (!p.evaluated) return "-";
  const auto& e = p.elasticity[target];
  if (!e) return "n/a";
  return *e == 0 ? "0" : fixed(*e, 3);
}

void print_heading(std::ostream& out, const accel::Sensitivity& s, const SensitivityRun& run) {
  out << "sensitivity  " << run.network << " ("
      << (run.batch_rule.empty() ? "batch " + std::to_string(run.batch) : run.batch_rule) << ") on " << run.accelerator
      << " (" << run.label << "), step " << short_number(s.step * 100) << "%: " << s.simulations << " simulations\n";
  out << "base        ";
  for (size_t i = 0; i < s.targets.size(); ++i) {
    out << (i ? "; " : " ") << s.targets[i].name << " " << short_number(s.base[i]) << " "
        << unit_of(s.targets[i].field);
  }
  out << "; bottleneck " << s.bottleneck << " (busy " << fixed(100 * s.bottleneck_busy, 0) << "%)\n";
  for (const auto& t : s.not_modelled) out << t.name << ": " << not_modelled_text(t) << "\n";
  out << "elasticity   d ln y / d ln x to x (1 - step) and x (1 + step); ranked by the largest |elasticity|\n"
      << "binding      the unit whose busy time changes most (the bottleneck when none changes)\n\n";
}

}  // namespace

nlohmann::json sensitivity_json(const accel::Sensitivity& s, const SensitivityRun& run) {
  nlohmann::json j = {{"network", run.network},
                      {"accelerator", run.accelerator},
                      {"accelerator_label", run.label},
                      {"batch", run.batch},
                      {"step", s.step},
                      {"simulations", s.simulations},
                      {"bottleneck", s.bottleneck},
                      {"bottleneck_busy_fraction", s.bottleneck_busy}};
  if (!run.batch_rule.empty()) j["batch_rule"] = run.batch_rule;
  nlohmann::json targets = nlohmann::json::array(), base = nlohmann::json::object();
  for (size_t i = 0; i < s.targets.size(); ++i) {
    const auto& t = s.targets[i];
    targets.push_back({{"name", t.name}, {"field", t.field}, {"unit", unit_of(t.field)}, {"modelled", true}});
    base[t.field] = s.base[i];
  }
  for (const auto& t : s.not_modelled) {
    targets.push_back({{"name", t.name}, {"field", t.field}, {"modelled", false}});
    j[t.name] = not_modelled_text(t);
  }
  j["targets"] = targets;
  j["base"] = base;
  nlohmann::json rows = nlohmann::json::array();
  for (size_t r = 0; r < s.rows.size(); ++r) {
    const auto& k = s.rows[r];
    rows.push_back({{"rank", r + 1},
                    {"key", k.key},
                    {"unit", k.unit},
                    {"type", k.type},
                    {"base", k.base},
                    {"down", probe_json(k.down, s)},
                    {"up", probe_json(k.up, s)},
                    {"binding_unit", k.binding_unit.empty() ? nlohmann::json() : nlohmann::json(k.binding_unit)},
                    {"score", k.score < 0 ? nlohmann::json() : nlohmann::json(k.score)}});
  }
  j["rows"] = rows;
  return j;
}

void print_sensitivity(std::ostream& out, const accel::Sensitivity& s, const SensitivityRun& run, int top) {
  print_heading(out, s, run);
  const size_t shown = top > 0 && static_cast<size_t>(top) < s.rows.size() ? static_cast<size_t>(top) : s.rows.size();
  size_t width = 3;
  for (size_t r = 0; r < shown; ++r) width = std::max(width, s.rows[r].key.size());
  out << std::left << std::setw(5) << "rank" << std::setw(static_cast<int>(width) + 2) << "key" << std::setw(8)
      << "unit" << std::setw(11) << "base" << std::setw(11) << "down" << std::setw(11) << "up";
  for (const auto& t : s.targets) {
    out << std::setw(10) << (std::string(t.name) + " -") << std::setw(10) << (std::string(t.name) + " +");
  }
  out << "binding\n";
  for (size_t r = 0; r < shown; ++r) {
    const auto& k = s.rows[r];
    out << std::setw(5) << r + 1 << std::setw(static_cast<int>(width) + 2) << k.key << std::setw(8) << k.unit
        << std::setw(11) << short_number(k.base) << std::setw(11) << short_number(k.down.value) << std::setw(11)
        << short_number(k.up.value);
    for (size_t i = 0; i < s.targets.size(); ++i) {
      out << std::setw(10) << elasticity_cell(k.down, i) << std::setw(10) << elasticity_cell(k.up, i);
    }
    out << (k.binding_unit.empty() ? "-" : k.binding_unit) << "\n";
  }
  if (shown < s.rows.size()) out << "... " << s.rows.size() - shown << " more keys (--json lists every row)\n";
  bool first = true;
  for (size_t r = 0; r < shown; ++r) {
    for (const auto* p : {&s.rows[r].down, &s.rows[r].up}) {
      if (p->evaluated) continue;
      if (first) out << "\nnot evaluated (-):\n";
      first = false;
      out << "  " << s.rows[r].key << " " << (p == &s.rows[r].down ? "down" : "up") << " to " << short_number(p->value)
          << ": " << p->reason << "\n";
    }
  }
}

}  // namespace rp::cli
