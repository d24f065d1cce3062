#include "experiments/kinds/hurricane/hurricane_experiment.h"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "accel_models/config/accelerator_config.h"
#include "simulator/error.h"
#include "traces/writers/output_guard.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/zoo.h"

namespace rp::hurricane {
namespace {

std::vector<std::string> overrides(const traces::YamlMap& root) {
  std::vector<std::string> out;
  if (!root.has("set")) return out;
  const YAML::Node set = root.node()["set"];
  if (!set.IsMap()) root.fail("set", "expected a mapping of accelerator keys to values, e.g. {hbm.bandwidth_gbps: 1200}");
  for (const auto& kv : set) {
    if (!kv.second.IsScalar()) root.fail("set." + kv.first.Scalar(), "expected a scalar value");
    out.push_back(kv.first.Scalar() + "=" + kv.second.Scalar());
  }
  return out;
}

uint64_t seed_of(const traces::YamlMap& m) { return static_cast<uint64_t>(m.integer_in("seed", 1, 0, 1ll << 62)); }

std::vector<std::string> op_list(const traces::YamlMap& m, const std::string& key) {
  return m.has(key) ? m.str_list(key) : std::vector<std::string>{};
}

}  // namespace

HurricaneExperiment HurricaneExperiment::load(const std::string& file) {
  const traces::YamlMap root = traces::YamlMap::load_file(file);
  root.reject_unknown({"kind", "accelerator", "set", "batch", "resolution", "latency_constraint_ms", "space",
                       "supernet", "search", "retrain", "output"});
  HurricaneExperiment e;
  e.file = file;
  if (root.str("kind") != "hurricane") root.fail("kind", "expected hurricane");
  e.accelerator = root.str("accelerator");
  e.set = overrides(root);
  int64_t default_batch = 0;
  try {
    default_batch = accel::AcceleratorConfig::load(e.accelerator).with_text(e.set).build()->info().default_batch;
  } catch (const UsageError& err) {
    throw UsageError(file + ": accelerator: " + err.what());
  }
  e.batch = root.integer_in("batch", default_batch, 1, traces::kMaxBatch);
  // >= 32: the skeleton's five stride-2 steps need an input of at least 32 x 32.
  e.resolution = static_cast<int>(root.integer_in("resolution", 224, 32, traces::kMaxResolution));
  if (!root.has("latency_constraint_ms")) root.fail("latency_constraint_ms", "required: the latency limit in ms");
  e.latency_constraint_ms = root.number_in("latency_constraint_ms", 1, 0, 1e9, true);

  const traces::YamlMap space = root.map("space");
  space.reject_unknown({"layers", "p", "alpha", "exploring_layers", "pool", "ops"});
  e.layers = static_cast<int>(space.integer_in("layers", 20, 4, 64));
  e.space.pool = op_list(space, "pool");
  e.space.fixed_ops = op_list(space, "ops");
  if (!e.space.pool.empty() && !e.space.fixed_ops.empty()) {
    space.fail("ops", "give either pool (ops ranked per layer) or ops (one hand-designed list), not both");
  }
  const long long pool_size = e.space.pool.empty() ? 32 : static_cast<long long>(e.space.pool.size());
  e.space.p = static_cast<int>(space.integer("p", 4));
  if (e.space.fixed_ops.empty() && (e.space.p < 1 || e.space.p > pool_size)) {
    space.fail("p", std::to_string(e.space.p) + " ops per layer asked of a pool of " + std::to_string(pool_size) +
                        " (expected 1.." + std::to_string(pool_size) + ")");
  }
  e.space.alpha = space.number_in("alpha", 0.5, 0, 16, false);
  e.space.exploring_layers = static_cast<int>(space.integer_in("exploring_layers", 4, 0, e.layers));
  for (const auto& key : {"pool", "ops"}) {
    const std::vector<std::string> ops = op_list(space, key);
    for (size_t i = 0; i < ops.size(); ++i) {
      try {
        traces::parse_op(ops[i]);
      } catch (const UsageError& err) {
        space.fail(key, err.what());
      }
      if (std::find(ops.begin(), ops.begin() + static_cast<long>(i), ops[i]) != ops.begin() + static_cast<long>(i)) {
        space.fail(key, "op '" + ops[i] + "' is listed twice");
      }
    }
  }

  const traces::YamlMap sn = root.map("supernet");
  sn.reject_unknown({"train_images", "epochs", "seed", "batch", "lr", "width", "stage2_fraction", "val_images",
                     "bn_images"});
  SupernetSettings& s = e.supernet;
  s.train_images = sn.integer_in("train_images", 10000, 1, 50000);
  s.epochs = static_cast<int>(sn.integer_in("epochs", 1, 1, 1000));
  s.seed = seed_of(sn);
  s.batch = static_cast<int>(sn.integer_in("batch", 64, 2, 4096));
  s.lr = sn.number_in("lr", 2e-3, 0, 10, true);
  s.width = sn.number_in("width", 0.25, 0, 4, true);
  s.stage2_fraction = sn.number_in("stage2_fraction", 0.1, 0, 10, false);
  s.val_images = sn.integer_in("val_images", 2000, 1, 10000);
  s.bn_images = sn.integer_in("bn_images", 1000, 0, 50000);

  const traces::YamlMap se = root.map("search");
  se.reject_unknown({"population", "generations", "parents", "mutation", "t", "seed"});
  e.search.population = static_cast<int>(se.integer_in("population", 50, 2, 100000));
  e.search.generations = static_cast<int>(se.integer_in("generations", 20, 1, 100000));
  e.search.parents = static_cast<int>(se.integer_in("parents", std::min(10, e.search.population), 1, e.search.population));
  e.search.mutation = se.number_in("mutation", 0.1, 0, 1, false);
  e.search.seed = seed_of(se);
  e.t = static_cast<int>(se.integer("t", 8));
  if (e.t < 0 || e.t >= e.layers) {
    se.fail("t", "expected 0..layers-1 (0..." + std::to_string(e.layers - 1) + "): stage 1 needs at least one layer, got " +
                     std::to_string(e.t));
  }

  if (root.has("retrain")) {
    const traces::YamlMap rt = root.map("retrain");
    rt.reject_unknown({"train_images", "epochs", "seed"});
    e.retrain.enabled = true;
    e.retrain.train_images = rt.integer_in("train_images", 10000, 1, 50000);
    e.retrain.epochs = static_cast<int>(rt.integer_in("epochs", 1, 1, 1000));
    e.retrain.seed = seed_of(rt);
  }
  e.output = root.str("output");
  try {
    traces::check_h5_output(e.output);  // before any work: never a directory, never a file Ridgepoint did not write
  } catch (const UsageError& err) {
    root.fail("output", err.what());
  }
  return e;
}

std::string HurricaneExperiment::canonical() const {
  const SupernetSettings& s = supernet;
  nlohmann::json j = {
      {"kind", "hurricane"}, {"accelerator", accelerator}, {"set", set}, {"batch", batch},
      {"resolution", resolution}, {"latency_constraint_ms", latency_constraint_ms}, {"layers", layers},
      {"p", space.p}, {"alpha", space.alpha}, {"exploring_layers", space.exploring_layers}, {"pool", space.pool},
      {"ops", space.fixed_ops}, {"train_images", s.train_images}, {"epochs", s.epochs}, {"supernet_seed", s.seed},
      {"supernet_batch", s.batch}, {"lr", s.lr}, {"width", s.width}, {"stage2_fraction", s.stage2_fraction},
      {"val_images", s.val_images}, {"bn_images", s.bn_images}, {"population", search.population},
      {"generations", search.generations}, {"parents", search.parents}, {"mutation", search.mutation},
      {"t", t}, {"search_seed", search.seed}, {"retrain", retrain.enabled},
      {"retrain_images", retrain.train_images}, {"retrain_epochs", retrain.epochs}, {"retrain_seed", retrain.seed}};
  return j.dump();
}

}  // namespace rp::hurricane
