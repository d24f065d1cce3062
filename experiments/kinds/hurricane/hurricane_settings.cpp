#include "experiments/kinds/hurricane/hurricane_settings.h"

#include <algorithm>

#include "traces/zoo/op_pool.h"

namespace rp::kinds {
namespace {

using settings::ParamSpec;
using settings::SettingsVisitor;
using settings::TextSpec;

constexpr int kPoolSize = 32;  // traces/zoo/op_pool.h

TextSpec op_list(const std::string& description) {
  return TextSpec::optional("", description).checked([](const std::string& op) { traces::parse_op(op); });
}

bool repeats(const std::vector<std::string>& ops, std::string& twice) {
  for (size_t i = 0; i < ops.size(); ++i) {
    if (std::find(ops.begin(), ops.begin() + static_cast<long>(i), ops[i]) != ops.begin() + static_cast<long>(i)) {
      twice = ops[i];
      return true;
    }
  }
  return false;
}

void declare_space(SettingsVisitor& v, HurricaneSettings& s) {
  v.section("space", [&](SettingsVisitor& g) {
    g.integer("layers", s.layers, ParamSpec::between(4, 64, "", "learnable layers of the skeleton").or_default(20));
    g.integer("p", s.p, ParamSpec::between(1, kPoolSize, "", "ops kept per layer").or_default(4));
    g.real("alpha", s.alpha, ParamSpec::between(0, 16, "", "capacity exponent of the op score").or_default(0.5));
    g.integer("exploring_layers", s.exploring_layers,
              ParamSpec::between(0, 64, "", "the last this many layers get an exploring op").or_default(4));
    g.list("pool", s.pool, op_list("candidate ops ranked per layer (absent: all 32)"));
    g.list("ops", s.ops, op_list("a hand-designed space: every layer keeps exactly these ops"));
    for (const char* k : {"pool", "ops"}) {
      std::string twice;  // found before the message is built (argument order is unspecified)
      const bool repeated = repeats(std::string(k) == "pool" ? s.pool : s.ops, twice);
      g.require(!repeated, k, "op '" + twice + "' is listed twice");
    }
    g.require(s.pool.empty() || s.ops.empty(), "ops",
              "give either pool (ops ranked per layer) or ops (one hand-designed list), not both");
    const int pool = s.pool.empty() ? kPoolSize : static_cast<int>(s.pool.size());
    g.require(!s.ops.empty() || s.p <= pool, "p",
              std::to_string(s.p) + " ops per layer asked of a pool of " + std::to_string(pool) + " (expected 1.." +
                  std::to_string(pool) + ")");
    g.require(s.exploring_layers <= s.layers, "exploring_layers", "must be at most layers");
  });
}

void declare_supernet(SettingsVisitor& v, HurricaneSettings& s) {
  v.section("supernet", [&](SettingsVisitor& g) {
    declare_proxy_training(g, s.supernet, 10000, {"supernet training images per stage-1 epoch", false, true});
    g.integer("batch", s.supernet_batch, ParamSpec::between(2, 4096, "images", "training batch").or_default(64));
    g.real("lr", s.lr, ParamSpec::between(0, 10, "", "Adam's learning rate").above(0).or_default(2e-3));
    g.real("width", s.width, ParamSpec::between(0, 4, "", "proxy width multiplier").above(0).or_default(0.25));
    g.real("stage2_fraction", s.stage2_fraction,
           ParamSpec::between(0, 10, "", "stage 2 fine-tunes this fraction of stage 1's images").or_default(0.1));
    g.integer(
        "val_images", s.val_images,
        ParamSpec::between(1, 10000, "images", "fitness: validation images scored per candidate").or_default(2000));
    g.integer("bn_images", s.bn_images,
              ParamSpec::between(0, 50000, "images", "fitness: images recalibrating batch norm").or_default(1000));
  });
}

void declare_search(SettingsVisitor& v, HurricaneSettings& s) {
  v.section("search", [&](SettingsVisitor& g) {
    g.integer("population", s.population,
              ParamSpec::between(2, 100000, "", "architectures per generation").or_default(50));
    g.integer("generations", s.generations,
              ParamSpec::between(1, 100000, "", "generations, the first included").or_default(20));
    g.integer("parents", s.parents,
              ParamSpec::between(1, 100000, "", "top-k parents (absent: min(10, population))").or_default(0));
    g.real("mutation", s.mutation, ParamSpec::between(0, 1, "", "mutation probability per layer").or_default(0.1));
    g.integer("t", s.t, ParamSpec::between(0, 63, "", "layers searched in stage 2 (0: one stage)").or_default(8));
    declare_seed(g, s.search_seed);
    g.require(s.parents <= s.population, "parents", "must be at most population");
    g.require(s.t < s.layers, "t",
              "expected 0..layers-1 (0.." + std::to_string(s.layers - 1) + "): stage 1 needs at least one layer, got " +
                  std::to_string(s.t));
  });
}

}  // namespace

void describe(SettingsVisitor& v, HurricaneSettings& s) {
  declare_kind(v, s.kind, {"hurricane"}, s.name);
  declare_hardware(v, s.hardware);
  declare_resolution(v, s.resolution, 32, 224);
  v.real("latency_constraint_ms", s.latency_constraint_ms,
         ParamSpec::between(0, 1e9, "ms", "the latency limit of the searched architectures").above(0));
  declare_space(v, s);
  declare_supernet(v, s);
  declare_search(v, s);
  v.switch_section("retrain", s.retrain, [&](SettingsVisitor& r) {
    r.text("method", s.retrain_method,
           TextSpec::word({"proxy", "table", "command", "python"}, std::string("proxy"),
                          "what rates the reported architectures (docs/accuracy.md)"));
    declare_proxy_training(r, s.retraining, 10000, {"training images of each retrained architecture", true, false});
    declare_accuracy_source(r, s.retrain_source, s.retrain_method);
    r.require(!r.given("threads"), "threads", "set threads in supernet: (it applies to the retraining too)");
    declare_device(r, s.retraining);
    declare_dataset(r, s.retrain_dataset);
    for (const char* k : {"device", "dataset"}) {
      r.require(s.retrain_method == "proxy" || !r.given(k), k, "applies to method: proxy only");
    }
  });
  declare_output(v, s.output);
}

std::vector<settings::KeyInfo> hurricane_keys() {
  HurricaneSettings s;
  return settings::list(declaration(s, describe));
}

HurricaneSettings load_hurricane(const std::string& file, const std::string& output) {
  HurricaneSettings s = load_settings(file, describe, output);
  if (s.parents == 0) s.parents = std::min(10, s.population);
  resolve_hardware(s.hardware, file);
  if (s.retrain) check_accuracy_source(s.retrain_method, s.retrain_source, file, "retrain");
  return s;
}

}  // namespace rp::kinds
