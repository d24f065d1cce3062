#include "experiments/kinds/lacs/lacs_experiment.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "accel_models/evaluate.h"
#include "simulator/error.h"
#include "traces/writers/output_guard.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/zoo.h"

namespace rp::lacs {
namespace {

Range range_at(const traces::YamlMap& grid, const std::string& key) {
  const YAML::Node n = grid.node()[key];
  if (!n) grid.fail(key, "missing: expected [start, stop, step]");
  if (n.IsSequence() && n.size() == 0) grid.fail(key, "empty range []: expected [start, stop, step]");
  if (!n.IsSequence() || n.size() != 3) grid.fail(key, "expected [start, stop, step]");
  Range r;
  try {
    r = {n[0].as<double>(), n[1].as<double>(), n[2].as<double>()};
  } catch (const YAML::Exception&) {
    grid.fail(key, "expected three numbers [start, stop, step]");
  }
  try {
    check_range(r, grid.path(key));
  } catch (const UsageError& e) {
    throw UsageError(grid.file() + ": " + e.what());
  }
  return r;
}

}  // namespace

std::string objective_name(Objective o) {
  return o == Objective::kLatencyAware ? "latency-aware" : "accuracy-only";
}

LacsExperiment LacsExperiment::load(const std::string& file) {
  const traces::YamlMap root = traces::YamlMap::load_file(file);
  root.reject_unknown({"kind", "base", "accelerator", "set", "batch", "objective", "grid", "refine", "phi",
                       "search_phi", "flops_budget", "flops_tolerance", "target_latency_ms", "latency_ratio",
                       "reward", "accuracy", "output", "point_limit"});
  LacsExperiment e;
  e.file = file;
  if (root.str("kind") != "lacs") root.fail("kind", "expected lacs");
  e.base = root.str("base");
  try {
    traces::mbconv_spec(e.base);
  } catch (const UsageError& err) {
    root.fail("base", err.what());
  }
  e.accelerator = root.str("accelerator");
  if (root.has("set")) {
    const YAML::Node set = root.node()["set"];
    if (!set.IsMap()) {
      root.fail("set", "expected a mapping of accelerator keys to values, e.g. {hbm.bandwidth_gbps: 1200}");
    }
    for (const auto& kv : set) {
      if (!kv.second.IsScalar()) root.fail("set." + kv.first.Scalar(), "expected a scalar value");
      e.set.push_back(kv.first.Scalar() + "=" + kv.second.Scalar());
    }
  }
  int64_t default_batch = 0;
  try {
    default_batch = accel::AcceleratorConfig::load(e.accelerator).with_text(e.set).build()->info().default_batch;
  } catch (const UsageError& err) {
    throw UsageError(file + ": accelerator: " + err.what());
  }
  e.batch = root.integer_in("batch", default_batch, 1, traces::kMaxBatch);

  const std::string obj = root.str("objective");
  if (obj == "latency-aware") e.objective = Objective::kLatencyAware;
  else if (obj == "accuracy-only") e.objective = Objective::kAccuracyOnly;
  else root.fail("objective", "unknown objective '" + obj + "', expected latency-aware or accuracy-only");

  const traces::YamlMap grid = root.map("grid");
  grid.reject_unknown({"alpha", "beta", "gamma"});
  e.grid.alpha = range_at(grid, "alpha");
  e.grid.beta = range_at(grid, "beta");
  e.grid.gamma = range_at(grid, "gamma");
  // Each point is a simulation (and in proxy mode a training run): refused past the limit unless point_limit
  // raises it, as for sweeps (docs/experiments.md).
  const long long limit = root.integer_in("point_limit", 1000000, 1, 1000000000);
  double points = 1;
  for (const Range* r : {&e.grid.alpha, &e.grid.beta, &e.grid.gamma}) points *= static_cast<double>(values(*r).size());
  if (points > static_cast<double>(limit)) {
    const std::string count = std::to_string(static_cast<long long>(points));
    root.fail("grid", count + " points, more than the limit of " + std::to_string(limit) + " (set 'point_limit: " +
                          count + "' to run them all)");
  }
  if (root.has("refine") && root.node()["refine"].IsMap()) {
    const traces::YamlMap r = root.map("refine");
    r.reject_unknown({"top", "divisions"});
    e.grid.refine = true;
    e.grid.refine_top = static_cast<int>(r.integer_in("top", 3, 1, 1000));
    e.grid.refine_divisions = static_cast<int>(r.integer_in("divisions", 5, 2, 20));
  } else {
    e.grid.refine = root.boolean("refine", true);
  }
  const long long phi = root.integer("phi");
  if (phi < 0 || phi > 12) root.fail("phi", "must be in 0..12, got " + std::to_string(phi));
  e.phi = static_cast<int>(phi);
  e.search_phi = root.number("search_phi", 1.0);
  if (!(e.search_phi > 0) || e.search_phi > 12) {
    root.fail("search_phi", "must be in (0, 12], got " + root.str("search_phi"));
  }
  e.flops_budget = root.number("flops_budget", 2.0);
  if (!(e.flops_budget > 1)) root.fail("flops_budget", "must be > 1, got " + root.str("flops_budget"));
  e.flops_tolerance = root.number("flops_tolerance", 0.1);
  if (!(e.flops_tolerance > 0) || e.flops_tolerance >= 1) root.fail("flops_tolerance", "must be in (0, 1)");
  e.target_latency_ms = root.number("target_latency_ms", 0.0);
  if (root.has("target_latency_ms") && !(e.target_latency_ms > 0)) {
    root.fail("target_latency_ms", "must be > 0, got " + root.str("target_latency_ms"));
  }
  e.latency_ratio = root.number("latency_ratio", 2.0);
  if (!(e.latency_ratio > 1)) root.fail("latency_ratio", "must be > 1, got " + root.str("latency_ratio"));
  if (root.has("reward")) {
    const traces::YamlMap reward = root.map("reward");
    reward.reject_unknown({"w", "alpha", "beta"});
    if (reward.has("w")) {
      if (reward.has("alpha") || reward.has("beta")) reward.fail("w", "give either w or alpha and beta, not both");
      e.reward = nas::RewardSpec::soft(0, reward.number("w"));
    } else if (reward.has("alpha") && reward.has("beta")) {
      e.reward = {0, reward.number("alpha"), reward.number("beta")};
    } else {
      root.fail("reward", "expected {w: W} (soft, e.g. -0.07) or {alpha: A, beta: B} (hard: alpha 0, beta -1)");
    }
    if (e.reward.alpha > 0 || e.reward.beta > 0) root.fail("reward", "exponents must be <= 0");
  }

  const traces::YamlMap acc = root.map("accuracy");
  e.accuracy.method = acc.str("method");
  if (e.accuracy.method == "surrogate") {
    acc.reject_unknown({"method", "fit", "base_top1"});
    e.accuracy.fit = acc.str("fit", "all");
    if (e.accuracy.fit != "all" && e.accuracy.fit != "no-b1") {
      acc.fail("fit", "unknown surrogate fit '" + e.accuracy.fit + "', expected all or no-b1");
    }
    e.accuracy.base_top1 = acc.number("base_top1", 0.0);
    if (acc.has("base_top1") && !(e.accuracy.base_top1 > 0 && e.accuracy.base_top1 < 100)) {
      acc.fail("base_top1", "must be a top-1 percentage in (0, 100)");
    }
  } else if (e.accuracy.method == "proxy") {
    acc.reject_unknown({"method", "train_images", "epochs", "seed", "width"});
    e.accuracy.train_images = acc.integer("train_images", 2000);
    if (e.accuracy.train_images < 1 || e.accuracy.train_images > 50000) {
      acc.fail("train_images", "must be in 1..50000, got " + std::to_string(e.accuracy.train_images));
    }
    const long long epochs = acc.integer("epochs", 1);
    if (epochs < 1 || epochs > 100) acc.fail("epochs", "must be in 1..100, got " + std::to_string(epochs));
    e.accuracy.epochs = static_cast<int>(epochs);
    const long long seed = acc.integer("seed", 1);
    if (seed < 0) acc.fail("seed", "must be >= 0");
    e.accuracy.seed = static_cast<uint64_t>(seed);
    e.accuracy.width = acc.number("width", 0.25);
    if (e.accuracy.width < 0.125 || e.accuracy.width > 4) acc.fail("width", "must be in [0.125, 4]");
  } else {
    acc.fail("method", "unknown accuracy method '" + e.accuracy.method + "', expected surrogate or proxy");
  }
  e.output = root.str("output");
  if (e.output.empty()) root.fail("output", "must be a file path");
  try {
    traces::check_h5_output(e.output);  // before any work: never a directory, never a file Ridgepoint did not write
  } catch (const UsageError& err) {
    root.fail("output", err.what());
  }
  return e;
}

std::string LacsExperiment::canonical() const {
  auto range = [](const Range& r) { return nlohmann::json::array({r.start, r.stop, r.step}); };
  nlohmann::json j = {{"kind", "lacs"}, {"base", base}, {"accelerator", accelerator}, {"set", set},
                      {"batch", batch}, {"objective", objective_name(objective)},
                      {"grid", {range(grid.alpha), range(grid.beta), range(grid.gamma)}},
                      {"refine", {grid.refine, grid.refine_top, grid.refine_divisions}}, {"search_phi", search_phi},
                      {"flops", {flops_budget, flops_tolerance}}, {"target_latency_ms", target_latency_ms},
                      {"latency_ratio", latency_ratio}, {"reward", {reward.alpha, reward.beta}},
                      {"accuracy", {accuracy.method, accuracy.fit, accuracy.base_top1, accuracy.train_images,
                                    accuracy.epochs, accuracy.seed, accuracy.width}}};
  return j.dump();  // phi (the family size) does not change the search: a rerun with another phi resumes
}

std::string LacsExperiment::resolved_yaml() const {
  auto range = [](const Range& r) {
    std::ostringstream o;
    o << "[" << r.start << ", " << r.stop << ", " << r.step << "]";
    return o.str();
  };
  std::ostringstream o;
  o << "kind: lacs\nbase: " << base << "\naccelerator: " << accelerator << "\nset: {";
  for (size_t i = 0; i < set.size(); ++i) {
    const size_t eq = set[i].find('=');
    o << (i ? ", " : "") << set[i].substr(0, eq) << ": " << set[i].substr(eq + 1);
  }
  o << "}\nbatch: " << batch << "\nobjective: " << objective_name(objective) << "\ngrid: {alpha: "
    << range(grid.alpha) << ", beta: " << range(grid.beta) << ", gamma: " << range(grid.gamma) << "}\n";
  if (grid.refine) o << "refine: {top: " << grid.refine_top << ", divisions: " << grid.refine_divisions << "}\n";
  else o << "refine: false\n";
  o << "phi: " << phi << "\nsearch_phi: " << search_phi << "\nflops_budget: " << flops_budget
    << "\nflops_tolerance: " << flops_tolerance << "\ntarget_latency_ms: " << reward.target_ms
    << "\nlatency_ratio: " << latency_ratio << "\nreward: {alpha: " << reward.alpha << ", beta: " << reward.beta
    << "}\naccuracy: {method: " << accuracy.method;
  if (accuracy.method == "surrogate") {
    o << ", fit: " << accuracy.fit << ", base_top1: " << accuracy.base_top1;
  } else {
    o << ", train_images: " << accuracy.train_images << ", epochs: " << accuracy.epochs << ", seed: "
      << accuracy.seed << ", width: " << accuracy.width;
  }
  o << "}\noutput: " << output << "\n";
  return o.str();
}

}  // namespace rp::lacs
