#pragma once
// A `kind: lacs` experiment YAML (docs/lacs.md), validated completely before anything runs:
//   kind: lacs
//   base: efficientnet-x-b0          # zoo name or network YAML (e.g. a NAS winner, results/nas.best1.yaml)
//   accelerator: tpuv3               # built-in name or YAML path
//   set: {}                          # optional accelerator overrides, as --set
//   batch: 128                       # optional (default: the accelerator's default_batch)
//   objective: latency-aware         # or accuracy-only
//   grid: {alpha: [1.0, 1.4, 0.05], beta: [1.0, 1.3, 0.05], gamma: [1.0, 1.3, 0.05]}   # start, stop, step
//   refine: true                     # or {top: 3, divisions: 5}
//   phi: 7                           # family levels 0..phi
//   search_phi: 1                    # optional: level the coefficients are searched at (default 1)
//   flops_budget: 2.0                # optional, accuracy-only: alpha beta^2 gamma^2 per level (default 2)
//   flops_tolerance: 0.1             # optional, accuracy-only: relative band around the budget (default 0.1)
//   target_latency_ms: 20            # optional, latency-aware: T (default: latency_ratio^search_phi x base's)
//   latency_ratio: 2.0               # optional, latency-aware: T per level as a multiple of the base's latency
//   reward: {alpha: 0, beta: -1}     # optional, latency-aware: ACC x (LAT/T)^w (default hard: 0 / -1), or {w: W}
//   accuracy: {method: surrogate}    # {method: surrogate, fit: all|no-b1, base_top1: 77.3} or
//                                    # {method: proxy, train_images: 2000, epochs: 1, seed: 1, width: 0.25}
//   output: results/lacs.h5
#include <cstdint>
#include <string>
#include <vector>

#include "lacs/grid_search.h"
#include "nas/reward/reward.h"

namespace rp::lacs {

enum class Objective { kLatencyAware, kAccuracyOnly };
std::string objective_name(Objective o);

struct AccuracySpec {
  std::string method = "surrogate";  // surrogate | proxy
  std::string fit = "all";           // surrogate fit (lacs/surrogate.yaml or surrogate-no-b1.yaml)
  double base_top1 = 0;              // surrogate: top-1 % of the base (0: the surrogate's, EfficientNet-B0 76.3)
  int64_t train_images = 2000;       // proxy
  int epochs = 1;
  uint64_t seed = 1;
  double width = 0.25;               // proxy width multiplier (nas/space/proxy_network.h)
};

struct LacsExperiment {
  std::string file;
  std::string base;
  std::string accelerator;
  std::vector<std::string> set;  // "key=value"
  int64_t batch = 0;
  Objective objective = Objective::kLatencyAware;
  GridSpec grid;
  int phi = 7;
  double search_phi = 1;
  double flops_budget = 2.0, flops_tolerance = 0.1;
  double target_latency_ms = 0;  // 0: latency_ratio^search_phi x the base's latency
  double latency_ratio = 2.0;
  nas::RewardSpec reward = nas::RewardSpec::hard(0);  // target filled in at run time when 0
  AccuracySpec accuracy;
  std::string output;

  // Throws UsageError naming the file and key (and value): unknown keys, an unknown base, objective or method,
  // an empty or inverted grid range, phi < 0, ...; validates the accelerator and its overrides too.
  static LacsExperiment load(const std::string& file);
  std::string canonical() const;  // JSON of every setting but the output path (identifies a resumable run)
  std::string resolved_yaml() const;
};

}  // namespace rp::lacs
