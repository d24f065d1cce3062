#include "experiments/kinds/codesign/codesign_settings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "experiments/kinds/codesign/codesign_search.h"
#include "experiments/kinds/lacs/lacs_settings.h"
#include "experiments/kinds/sweep/sweep_settings.h"
#include "simulator/error.h"
#include "traces/yaml/yaml_map.h"

namespace rp::kinds {
namespace {

using settings::ParamSpec;
using settings::SettingsVisitor;
using settings::TextSpec;

const std::vector<std::string> kObjectives = {"latency_ms", "energy_per_inference_mj"};

void check_objective(const std::string& o) {
  if (o != "accuracy" && std::find(kObjectives.begin(), kObjectives.end(), o) == kObjectives.end()) {
    throw UsageError("unknown objective '" + o + "', expected one of: latency_ms, energy_per_inference_mj, accuracy");
  }
}

// The network side: a list, or the section lacs_family:. A mapping under networks: is refused in one line.
void check_network_side(const traces::YamlMap& root) {
  if (root.has("networks") && root.node()["networks"].IsMap()) {
    root.fail("networks",
              "expected a list of zoo names or network files; a LACS family is the section lacs_family: {base, "
              "alpha, beta, gamma, phi} beside it (a NAS space as the network side is not supported: "
              "docs/codesign.md)");
  }
  if (root.has("nas_space")) {
    root.fail("nas_space",
              "a NAS space as the network side is not supported (docs/codesign.md, Limits); give networks: (e.g. a "
              "NAS run's best*.yaml files) or lacs_family:");
  }
}

void declare_family(SettingsVisitor& v, CodesignSettings& s) {
  v.switch_section("lacs_family", s.family, [&](SettingsVisitor& f) {
    declare_lacs_base(f, s.family_base);
    f.real("alpha", s.alpha, lacs_coefficient_spec("depth coefficient (d = alpha^phi)"));
    f.real("beta", s.beta, lacs_coefficient_spec("width coefficient (w = beta^phi)"));
    f.real("gamma", s.gamma, lacs_coefficient_spec("resolution coefficient (r = gamma^phi)"));
    f.integer("phi", s.phi, ParamSpec::between(0, 12, "", "the family's levels 0..phi, one network each"));
  });
}

// accuracy: as LACS's, less what needs LibTorch (proxy) or a Python caller (python): refused in one line each.
void declare_accuracy(SettingsVisitor& v, CodesignSettings& s) {
  v.switch_section("accuracy", s.accuracy, [&](SettingsVisitor& a) {
    a.text("method", s.accuracy_method,
           TextSpec::word({"surrogate", "table", "command", "proxy", "python"}, std::nullopt,
                          "where the family's accuracy comes from: surrogate, table or command (proxy and python "
                          "are refused: they need LibTorch training or a Python caller)"));
    a.require(s.accuracy_method != "proxy", "method",
              "proxy needs LibTorch proxy training, which codesign does not run (docs/codesign.md); use surrogate, "
              "table or command");
    a.require(s.accuracy_method != "python", "method",
              "python is not a codesign accuracy source (docs/codesign.md); use surrogate, table or command");
    declare_surrogate_keys(a, s.fit, s.base_top1);
    for (const char* k : {"fit", "base_top1"}) {
      a.require(s.accuracy_method == "surrogate" || !a.given(k), k, "applies to method: surrogate only");
    }
    declare_accuracy_source(a, s.accuracy_source, s.accuracy_method, false);
  });
}

// `hardware.KEY`'s values as /points shows them: integer keys rounded to the nearest integer.
std::vector<std::string> typed_texts(const traces::YamlMap& space, const std::string& key, const std::string& type,
                                     const std::vector<std::string>& values) {
  std::vector<std::string> out = values;
  if (type == "integer") {
    out.clear();
    for (const std::string& v : values) {
      char* end = nullptr;
      const double d = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !std::isfinite(d)) space.fail(key, "expected an integer, got '" + v + "'");
      out.push_back(std::to_string(std::llround(d)));
    }
  }
  std::set<std::string> seen;  // a value twice is the same design twice: evaluated twice, on /pareto twice
  for (const std::string& v : out) {
    if (!seen.insert(v).second) {
      space.fail(key, "value " + v + " appears twice" +
                          (type == "integer" ? " (integer keys are rounded): give fewer steps or other values" : ""));
    }
  }
  return out;
}

// Each hardware key known to the base config, each value typed and checked alone against it.
void type_space(Codesign& c, const traces::YamlMap& root) {
  const traces::YamlMap space = root.map("hardware");
  const auto params = c.base.params();
  for (const settings::Axis& a : c.settings.space) {
    const std::string full = c.base.resolve(a.key);
    const auto p = std::find_if(params.begin(), params.end(), [&](const accel::ParamInfo& i) { return i.key == full; });
    if (p == params.end()) space.fail(a.key, c.base.unknown_key_message(a.key));
    c.keys.push_back(a.key);
    c.values.push_back(typed_texts(space, a.key, p->type, a.values));
    c.typed.emplace_back();
    for (const std::string& v : c.values.back()) {
      try {
        c.typed.back().push_back(c.base.parse_override(a.key + "=" + v));
        c.base.with({c.typed.back().back()});
      } catch (const UsageError& err) {
        space.fail(a.key, "value " + v + ": " + err.what());
      }
    }
    c.sizes.push_back(static_cast<int64_t>(c.values.back().size()));
  }
}

// The base config: the accelerator with `set:` and the budgets (evaluate.h reports a point over one as infeasible
// with its reason).
accel::AcceleratorConfig base_config(const CodesignSettings& s, const std::string& file) {
  std::vector<std::string> set = s.hardware.set;
  if (s.area_budget_mm2 > 0) set.push_back("area.budget_mm2=" + accel::format_number(s.area_budget_mm2));
  if (s.power_budget_w > 0) set.push_back("energy.power_budget_w=" + accel::format_number(s.power_budget_w));
  try {
    return accel::AcceleratorConfig::load(s.hardware.accelerator).with_text(set);
  } catch (const UsageError& err) {
    throw UsageError(file + ": key 'set': " + err.what());
  }
}

void check_counts(const Codesign& c, const std::string& file) {
  const CodesignSettings& s = c.settings;
  const double networks = static_cast<double>(s.networks.size());
  if (s.method == "grid") {
    check_point_limit(static_cast<double>(c.points) * networks, s.point_limit, file, "hardware");
  } else {
    check_point_limit(static_cast<double>(s.population) * static_cast<double>(s.generations + 1) * networks,
                      s.point_limit, file, "search.generations");
  }
}

// The family's levels 0..phi (lacs/family.h's members), each named BASE-phiK.
std::vector<FamilyMember> family_members(const CodesignSettings& s) {
  const traces::MbconvSpec base = traces::mbconv_spec(s.family_base);
  const lacs::Triplet t{s.alpha, s.beta, s.gamma};
  std::vector<FamilyMember> out;
  for (int k = 0; k <= s.phi; ++k) {
    FamilyMember m;
    m.name = base.name + "-phi" + std::to_string(k);
    m.phi = k;
    m.scaled = lacs::scale(t, k, base.params.resolution);
    m.limit = lacs::limit_problem(base, m.scaled);
    // The spec keeps the base's name, as a LACS candidate's: its network file (the table key) is then the same.
    if (m.limit.empty()) m.spec = lacs::scaled_spec(base, m.scaled);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

void describe(settings::SettingsVisitor& v, CodesignSettings& s) {
  declare_kind(v, s.kind, {"codesign"}, s.name);
  declare_hardware(v, s.hardware);
  v.axes("hardware", s.space,
         "accelerator keys and their values (a list, or {min, max, steps, scale: linear|log}); integer keys rounded");
  v.require(v.given("hardware"), "hardware", "a codesign experiment needs a 'hardware' space of accelerator keys");
  v.section(
      "budgets",
      [&](settings::SettingsVisitor& b) {
        b.real("area_mm2", s.area_budget_mm2,
               ParamSpec::between(0, 1e6, "mm^2", "area budget (0: none), applied as area.budget_mm2").or_default(0));
        b.real(
            "power_w", s.power_budget_w,
            ParamSpec::between(0, 1e6, "W", "power budget (0: none), applied as energy.power_budget_w").or_default(0));
      },
      true);
  v.list("networks", s.networks,
         TextSpec::optional("", "the network side: zoo names or network files (or lacs_family:)", TextSpec::kNetwork)
             .checked(check_model));
  declare_family(v, s);
  v.require(v.given("networks") != s.family, "networks",
            s.family ? "give either networks: or lacs_family:, not both"
                     : "missing: the network side is networks: (a list) or lacs_family:");
  declare_accuracy(v, s);
  v.require(s.family || !s.accuracy, "accuracy", "applies to a lacs_family: network side only");
  v.list("objectives", s.objectives,
         TextSpec::optional("latency_ms, energy_per_inference_mj",
                            "what the Pareto front minimizes: latency_ms, "
                            "energy_per_inference_mj (default: both), or maximizes: accuracy")
             .checked(check_objective));
  const bool wants_accuracy = std::find(s.objectives.begin(), s.objectives.end(), "accuracy") != s.objectives.end();
  v.require(s.accuracy || !wants_accuracy, "objectives",
            "accuracy needs an accuracy source: a lacs_family: network side with accuracy: {method: surrogate | "
            "table | command} (zoo networks and network files carry no accuracy)");
  v.section(
      "search",
      [&](settings::SettingsVisitor& g) {
        g.text("method", s.method,
               TextSpec::word({"grid", "evolution"}, std::string("grid"), "every point, or an evolutionary search"));
        g.integer("population", s.population,
                  ParamSpec::between(1, 100000, "", "evolution: genomes per generation").or_default(16));
        g.integer("generations", s.generations,
                  ParamSpec::between(0, 100000, "", "evolution: generations after the first").or_default(10));
        g.integer("tournament", s.tournament,
                  ParamSpec::between(1, 1000, "", "evolution: genomes drawn per parent choice").or_default(2));
        declare_seed(g, s.seed);
        const bool evolution_keys =
            g.given("population") || g.given("generations") || g.given("tournament") || g.given("seed");
        g.require(s.method == "evolution" || !evolution_keys, "method",
                  "population, generations, tournament and seed apply to method: evolution only");
      },
      true);
  declare_output(v, s.output);
  declare_point_limit(v, s.point_limit);
}

std::vector<settings::KeyInfo> codesign_keys() {
  CodesignSettings s;
  return settings::list(declaration<CodesignSettings>(s, describe));
}

Codesign load_codesign(const std::string& file, const std::string& output) {
  const traces::YamlMap root = traces::YamlMap::load_file(file);
  check_network_side(root);
  CodesignSettings s = load_settings<CodesignSettings>(file, describe, output);
  std::vector<FamilyMember> members;
  if (s.family) {
    members = family_members(s);
    for (const FamilyMember& m : members) s.networks.push_back(m.name);
  }
  if (s.accuracy) check_accuracy_source(s.accuracy_method, s.accuracy_source, file);
  if (s.objectives.empty()) s.objectives = kObjectives;
  if (std::set<std::string>(s.objectives.begin(), s.objectives.end()).size() != s.objectives.size()) {
    root.fail("objectives", "an objective appears twice");
  }
  if (std::set<std::string>(s.networks.begin(), s.networks.end()).size() != s.networks.size()) {
    root.fail("networks", "a network appears twice (its rows would be evaluated twice)");
  }
  resolve_hardware(s.hardware, file);
  Codesign c{s, base_config(s, file), {}, {}, {}, {}, 0, std::move(members)};
  type_space(c, root);
  c.points = codesign::space_size(c.sizes);
  if (c.points < 0) root.fail("hardware", "more than 2^62 points: give fewer keys or values");
  check_counts(c, file);
  return c;
}

}  // namespace rp::kinds
