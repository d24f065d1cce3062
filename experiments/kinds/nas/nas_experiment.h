#pragma once
// A `kind: nas` experiment YAML (docs/nas.md), validated completely before anything runs:
//   kind: nas
//   space: efficientnet-x            # or efficientnet
//   accelerator: tpuv3               # built-in name or YAML path
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

#include "nas/reward/reward.h"

namespace rp::nas {

struct NasExperiment {
  std::string file;
  std::string space;
  std::string accelerator;
  std::vector<std::string> set;  // "key=value"
  int64_t batch = 0;             // resolved: the accelerator's default_batch when not given
  int resolution = 224;
  RewardSpec reward;
  std::string method = "rl";
  int64_t samples = 0;
  uint64_t search_seed = 1;
  int64_t train_images = 10000;
  int epochs = 1;
  uint64_t accuracy_seed = 1;
  std::string output;

  // Throws UsageError naming the file and key: unknown keys or names, target_latency_ms <= 0, samples <= 0, ...
  // Validates the space, method and accelerator (with its overrides) too.
  static NasExperiment load(const std::string& file);
  std::string canonical() const;  // JSON of every setting but the output path (identifies a resumable run)
  std::string resolved_yaml() const;
};

}  // namespace rp::nas
