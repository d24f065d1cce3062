#pragma once
// The settings of `kind: nas` (docs/nas.md), declared once (experiments/settings/settings.h):
//   kind: nas
//   space: efficientnet-x            # or efficientnet
//   accelerator: tpuv3               # built-in name or YAML file
//   set: {}                          # optional accelerator overrides, as --set
//   batch: 128                       # optional latency batch (default: the accelerator's default_batch)
//   resolution: 224                  # optional (default 224)
//   target_latency_ms: 9.0
//   reward: {w: -0.07}               # or {alpha: 0, beta: -1}; control: none | no-latency | shuffled-latency
//   search: {method: rl, samples: 200, seed: 1}              # rl | random
//   accuracy: {method: proxy, train_images: 10000, epochs: 1, seed: 1}   # test_images: 10000 (the winner's)
//                                    # or {method: table, file: F.csv}, {method: command, argv: [...], timeout_s: N}
//                                    # (experiments/kinds/accuracy/accuracy_source.h, docs/accuracy.md)
//   output: results/nas.h5
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/kinds/accuracy/accuracy_source.h"
#include "experiments/kinds/shared_settings.h"

namespace rp::kinds {

struct NasSettings {
  std::string kind = "nas", name;
  std::string space;
  Hardware hardware;  // batch resolved to the accelerator's default when absent
  int resolution = 224;
  double target_latency_ms = 0;
  RewardSettings reward;
  std::string method = "rl";
  int64_t samples = 0;
  int64_t search_seed = 1;
  int round = 4;  // search.round: architectures per controller round (one REINFORCE update each; trained at once)
  std::string accuracy_method = "proxy";
  ProxyTraining training;
  AccuracySource accuracy_source;         // table / command
  traces::DatasetSpec dataset;            // dataset: (absent: Fashion-MNIST)
  std::string dataset_mean, dataset_std;  // not settings: the loaded training split's, for the output attributes
  std::string output;

  std::string reward_control = "none";  // reward.control (nas::LatencyControl's words)
  int64_t test_images = 10000;          // accuracy.test_images: the first of the 10K test images, for the winner

  // The reward with its control; shuffled-latency permutations are seeded by the search seed.
  nas::RewardSpec reward_spec() const {
    nas::RewardSpec r = reward.spec(target_latency_ms, nas::RewardSpec::hard(0));
    r.control = nas::latency_control(reward_control);
    r.control_seed = static_cast<uint64_t>(search_seed);
    return r;
  }
};
void describe(settings::SettingsVisitor& v, NasSettings& s);
std::vector<settings::KeyInfo> nas_keys();
// Reads and validates `file` (the accelerator with its overrides built once, the batch resolved).
// `output`: `run --output PATH` (empty: the file's `output`, relative to the file).
NasSettings load_nas(const std::string& file, const std::string& output = "");

}  // namespace rp::kinds
