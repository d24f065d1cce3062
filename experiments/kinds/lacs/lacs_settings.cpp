#include "experiments/kinds/lacs/lacs_settings.h"

#include <cmath>

#include "traces/zoo/zoo.h"

namespace rp::kinds {
namespace {

using settings::ParamSpec;
using settings::SettingsVisitor;
using settings::TextSpec;

// Compound-scaling coefficients: the paper searches [1, 2]; 4 at phi 7 already scales by 4^7 = 16384.
const ParamSpec kCoefficient = ParamSpec::between(0, 4, "", "").above(0);

double steps(const settings::Range& r) { return std::floor((r.stop - r.start) / r.step + 1e-9) + 1; }

void declare_grid(SettingsVisitor& v, LacsSettings& s) {
  v.section("grid", [&](SettingsVisitor& g) {
    ParamSpec c = kCoefficient;
    c.description = "depth coefficient: [start, stop, step]";
    g.range("alpha", s.alpha, c);
    c.description = "width coefficient";
    g.range("beta", s.beta, c);
    c.description = "resolution coefficient";
    g.range("gamma", s.gamma, c);
  });
  v.switch_section("refine", s.refine, [&](SettingsVisitor& r) {
    r.integer("top", s.refine_top,
              ParamSpec::between(1, 1000, "", "neighbourhoods of this many best triplets").or_default(3));
    r.integer("divisions", s.refine_divisions,
              ParamSpec::between(2, 20, "", "fine step = coarse step / divisions, over +-1 coarse step").or_default(5));
  });
}

}  // namespace

void declare_surrogate_keys(SettingsVisitor& a, std::string& fit, double& base_top1) {
  a.text("fit", fit, TextSpec::word({"all"}, std::string("all"), "surrogate: the fit (lacs/surrogate.yaml)"));
  a.real(
      "base_top1", base_top1,
      ParamSpec::between(0, 100, "%", "surrogate: top-1 of the base (absent: the surrogate's)").above(0).or_default(0));
}

void declare_lacs_base(SettingsVisitor& v, std::string& base) {
  v.text("base", base,
         TextSpec::required("the base network: an MBConv zoo name or network file", TextSpec::kNetwork)
             .checked([](const std::string& b) { traces::mbconv_spec(b); }));
}

ParamSpec lacs_coefficient_spec(const std::string& description) {
  ParamSpec c = kCoefficient;
  c.description = description;
  return c;
}

namespace {

void declare_accuracy(SettingsVisitor& v, LacsSettings& s) {
  v.section("accuracy", [&](SettingsVisitor& a) {
    a.text("method", s.accuracy_method,
           TextSpec::word({"surrogate", "proxy", "table", "command", "python"}, std::nullopt,
                          "where accuracy comes from"));
    declare_surrogate_keys(a, s.fit, s.base_top1);
    declare_proxy_training(a, s.training, 2000);
    a.real("width", s.width, ParamSpec::between(0.125, 4, "", "proxy: width multiplier of the proxy").or_default(0.25));
    declare_accuracy_source(a, s.accuracy_source, s.accuracy_method);
    // The proxy's keys also describe a `command` trial's proxy (its proxy.json).
    const bool proxy = s.accuracy_method == "proxy" || s.accuracy_method == "command" || s.accuracy_method == "python";
    for (const char* k : {"fit", "base_top1"}) {
      a.require(s.accuracy_method == "surrogate" || !a.given(k), k, "applies to method: surrogate only");
    }
    for (const char* k : {"train_images", "epochs", "seed", "width"}) {
      a.require(proxy || !a.given(k), k, "applies to method: proxy only");
    }
    a.require(proxy || !a.given("threads"), "threads", "applies to method: proxy only");
    declare_device(a, s.training);
    a.require(proxy || !a.given("device"), "device", "applies to method: proxy only");
  });
}

}  // namespace

void describe(SettingsVisitor& v, LacsSettings& s) {
  declare_kind(v, s.kind, {"lacs"}, s.name);
  declare_lacs_base(v, s.base);
  declare_hardware(v, s.hardware);
  v.text("objective", s.objective,
         TextSpec::word({"latency-aware", "accuracy-only"}, std::nullopt, "what is scaled for"));
  declare_grid(v, s);
  v.integer("phi", s.phi, ParamSpec::between(0, 12, "", "family levels 0..phi").outside_identity());
  v.real("search_phi", s.search_phi,
         ParamSpec::between(0, 12, "", "level the coefficients are searched at").above(0).or_default(1));
  v.real("flops_budget", s.flops_budget,
         ParamSpec::between(1, 100, "", "accuracy-only: alpha beta^2 gamma^2 per level").above(1).or_default(2));
  v.real("flops_tolerance", s.flops_tolerance,
         ParamSpec::open_fraction("accuracy-only: relative band around the budget").or_default(0.1));
  v.real("target_latency_ms", s.target_latency_ms,
         ParamSpec::between(0, 1e9, "ms", "latency-aware: T (absent: latency_ratio^search_phi x the base's)")
             .above(0)
             .or_default(0));
  v.real("latency_ratio", s.latency_ratio,
         ParamSpec::between(1, 100, "", "latency-aware: T per level over the base's latency").above(1).or_default(2));
  declare_reward(v, s.reward, true);
  declare_accuracy(v, s);
  declare_dataset(v, s.dataset);
  // As NAS's: only the proxy loads, checks and hashes a data set (command and python trials would carry its name).
  v.require(s.accuracy_method == "proxy" || !v.given("dataset"), "dataset", "applies to accuracy method: proxy only");
  declare_output(v, s.output);
  declare_point_limit(v, s.point_limit);
}

std::vector<settings::KeyInfo> lacs_keys() {
  LacsSettings s;
  return settings::list(declaration(s, describe));
}

LacsSettings load_lacs(const std::string& file, const std::string& output) {
  LacsSettings s = load_settings<LacsSettings>(file, describe, output);
  resolve_hardware(s.hardware, file);
  check_accuracy_source(s.accuracy_method, s.accuracy_source, file);
  // Each point is a simulation (and in proxy mode a training run): refused past the limit, as for sweeps.
  check_point_limit(steps(s.alpha) * steps(s.beta) * steps(s.gamma), s.point_limit, file, "grid");
  return s;
}

}  // namespace rp::kinds
