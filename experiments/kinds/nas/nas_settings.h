#pragma once
// The settings of `kind: nas` (docs/nas.md), declared once (experiments/settings/settings.h):
//   kind: nas
//   space: efficientnet-x            # or efficientnet
//   accelerator: tpuv3               # built-in name or YAML file
//   set: {}                          # optional accelerator overrides, as --set
//   batch: 128                       # optional latency batch (default: the accelerator's default_batch)
//   resolution: 224                  # optional (default 224)
//   target_latency_ms: 9.0
//   reward: {w: -0.07}               # or {alpha: 0, beta: -1}
//   search: {method: rl, samples: 200, seed: 1}              # rl | random
//   accuracy: {method: proxy, train_images: 10000, epochs: 1, seed: 1}
//   output: results/nas.h5
#include <cstdint>
#include <string>
#include <vector>

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
  traces::DatasetSpec dataset;            // dataset: (absent: Fashion-MNIST)
  std::string dataset_mean, dataset_std;  // not settings: the loaded training split's, for the output attributes
  std::string output;

  nas::RewardSpec reward_spec() const { return reward.spec(target_latency_ms, nas::RewardSpec::hard(0)); }
};
void describe(settings::SettingsVisitor& v, NasSettings& s);
std::vector<settings::KeyInfo> nas_keys();
// Reads and validates `file` (the accelerator with its overrides built once, the batch resolved).
// `output`: `run --output PATH` (empty: the file's `output`, relative to the file).
NasSettings load_nas(const std::string& file, const std::string& output = "");

}  // namespace rp::kinds
