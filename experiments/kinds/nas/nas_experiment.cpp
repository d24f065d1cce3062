#include "experiments/kinds/nas/nas_experiment.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "accel_models/evaluate.h"
#include "nas/space/search_space.h"
#include "simulator/error.h"
#include "traces/writers/output_guard.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/zoo.h"

namespace rp::nas {
namespace {

std::string scalar_text(const YAML::Node& n) { return n.IsScalar() ? n.Scalar() : std::string(); }

// A million samples is 5000 x the paper-scale searches this tool reproduces (200); more was never meant.
constexpr long long kMaxSamples = 1000000;

}  // namespace

NasExperiment NasExperiment::load(const std::string& file) {
  const traces::YamlMap root = traces::YamlMap::load_file(file);
  root.reject_unknown({"kind", "space", "accelerator", "set", "batch", "resolution", "target_latency_ms", "reward",
                       "search", "accuracy", "output"});
  NasExperiment e;
  e.file = file;
  if (root.str("kind") != "nas") root.fail("kind", "expected nas");
  e.space = root.str("space");
  try {
    search_space(e.space);
  } catch (const UsageError& err) {
    root.fail("space", err.what());
  }
  e.accelerator = root.str("accelerator");
  if (root.has("set")) {
    const YAML::Node set = root.node()["set"];
    if (!set.IsMap()) {
      root.fail("set", "expected a mapping of accelerator keys to values, e.g. {lowering.fused_swish: true}");
    }
    for (const auto& kv : set) {
      const std::string v = scalar_text(kv.second);
      if (v.empty()) root.fail("set." + kv.first.Scalar(), "expected a scalar value");
      e.set.push_back(kv.first.Scalar() + "=" + v);
    }
  }
  int64_t default_batch = 0;
  try {
    default_batch = accel::AcceleratorConfig::load(e.accelerator).with_text(e.set).build()->info().default_batch;
  } catch (const UsageError& err) {
    throw UsageError(file + ": accelerator: " + err.what());
  }
  e.batch = root.integer_in("batch", default_batch, 1, traces::kMaxBatch);
  // >= 32: the search space's five stride-2 stages need an input of at least 32 x 32.
  e.resolution = static_cast<int>(root.integer_in("resolution", 224, 32, traces::kMaxResolution));
  const double target = root.number("target_latency_ms");
  if (!(target > 0)) root.fail("target_latency_ms", "must be > 0, got " + root.str("target_latency_ms"));

  const traces::YamlMap reward = root.map("reward");
  reward.reject_unknown({"w", "alpha", "beta"});
  if (reward.has("w")) {
    if (reward.has("alpha") || reward.has("beta")) reward.fail("w", "give either w or alpha and beta, not both");
    e.reward = RewardSpec::soft(target, reward.number("w"));
  } else if (reward.has("alpha") && reward.has("beta")) {
    e.reward = {target, reward.number("alpha"), reward.number("beta")};
  } else {
    root.fail("reward", "expected {w: W} (soft, e.g. -0.07) or {alpha: A, beta: B} (hard: alpha 0, beta -1)");
  }
  if (e.reward.alpha > 0 || e.reward.beta > 0) root.fail("reward", "exponents must be <= 0");

  const traces::YamlMap search = root.map("search");
  search.reject_unknown({"method", "samples", "seed"});
  e.method = search.str("method");
  if (e.method != "rl" && e.method != "random") {
    search.fail("method", "unknown search method '" + e.method + "', expected rl or random");
  }
  e.samples = search.integer_in("samples", 1, kMaxSamples);
  const long long sseed = search.integer("seed", 1);
  if (sseed < 0) search.fail("seed", "must be >= 0");
  e.search_seed = static_cast<uint64_t>(sseed);

  const traces::YamlMap acc = root.map("accuracy");
  acc.reject_unknown({"method", "train_images", "epochs", "seed"});
  const std::string am = acc.str("method", "proxy");
  if (am != "proxy") acc.fail("method", "unknown accuracy method '" + am + "', expected proxy");
  e.train_images = acc.integer("train_images", 10000);
  if (e.train_images <= 0 || e.train_images > 50000) {
    acc.fail("train_images", "must be in 1..50000 (the 60K training set less the 10K validation split), got " +
                                 std::to_string(e.train_images));
  }
  const long long epochs = acc.integer("epochs", 1);
  if (epochs <= 0 || epochs > 1000) acc.fail("epochs", "must be in 1..1000, got " + std::to_string(epochs));
  e.epochs = static_cast<int>(epochs);
  const long long aseed = acc.integer("seed", 1);
  if (aseed < 0) acc.fail("seed", "must be >= 0");
  e.accuracy_seed = static_cast<uint64_t>(aseed);
  e.output = root.str("output");
  if (e.output.empty()) root.fail("output", "must be a file path");
  try {
    traces::check_h5_output(e.output);  // before any work: never a directory, never a file Ridgepoint did not write
  } catch (const UsageError& err) {
    root.fail("output", err.what());
  }
  return e;
}

std::string NasExperiment::canonical() const {
  nlohmann::json j = {{"kind", "nas"}, {"space", space}, {"accelerator", accelerator}, {"set", set},
                      {"batch", batch}, {"resolution", resolution}, {"target_latency_ms", reward.target_ms},
                      {"alpha", reward.alpha}, {"beta", reward.beta}, {"method", method},
                      {"samples", samples}, {"search_seed", search_seed}, {"train_images", train_images},
                      {"epochs", epochs}, {"accuracy_seed", accuracy_seed}};
  return j.dump();
}

std::string NasExperiment::resolved_yaml() const {
  std::ostringstream o;
  o << "kind: nas\nspace: " << space << "\naccelerator: " << accelerator << "\nset: {";
  for (size_t i = 0; i < set.size(); ++i) {
    const size_t eq = set[i].find('=');
    o << (i ? ", " : "") << set[i].substr(0, eq) << ": " << set[i].substr(eq + 1);
  }
  o << "}\nbatch: " << batch << "\nresolution: " << resolution << "\ntarget_latency_ms: " << reward.target_ms
    << "\nreward: {alpha: " << reward.alpha << ", beta: " << reward.beta << "}\nsearch: {method: " << method
    << ", samples: " << samples << ", seed: " << search_seed << "}\naccuracy: {method: proxy, train_images: "
    << train_images << ", epochs: " << epochs << ", seed: " << accuracy_seed << "}\noutput: " << output << "\n";
  return o.str();
}

}  // namespace rp::nas
