#pragma once
// The settings of `kind: lacs` (docs/lacs.md), declared once (experiments/settings/settings.h):
//   kind: lacs
//   base: efficientnet-x-b0          # zoo name or network YAML (e.g. a NAS winner)
//   accelerator: tpuv3               # built-in name or YAML file
//   set: {}                          # optional accelerator overrides, as --set
//   batch: 128                       # optional (default: the accelerator's default_batch)
//   objective: latency-aware         # or accuracy-only
//   grid: {alpha: [1.0, 1.4, 0.05], beta: [1.0, 1.3, 0.05], gamma: [1.0, 1.3, 0.05]}   # start, stop, step
//   refine: true                     # or false, or {top: 3, divisions: 5}
//   phi: 7                           # family levels 0..phi (not part of the run's identity: another phi resumes)
//   search_phi: 1                    # optional: level the coefficients are searched at (default 1)
//   flops_budget: 2.0                # optional, accuracy-only: alpha beta^2 gamma^2 per level (default 2)
//   flops_tolerance: 0.1             # optional, accuracy-only: relative band around the budget (default 0.1)
//   target_latency_ms: 20            # optional, latency-aware: T (default: latency_ratio^search_phi x base's)
//   latency_ratio: 2.0               # optional, latency-aware: T per level as a multiple of the base's latency
//   reward: {alpha: 0, beta: -1}     # optional, latency-aware: ACC x (LAT/T)^w (default hard: 0 / -1), or {w: W}
//   accuracy: {method: surrogate}    # {method: surrogate, fit: all, base_top1: 77.3} or
//                                    # {method: proxy, train_images: 2000, epochs: 1, seed: 1, width: 0.25}
//                                    # {method: table, file: F.csv} (keyed by the sha256 of the candidate's
//                                    # network.yaml) or {method: command, argv: [...], timeout_s: N}
//   dataset: {format: cifar10, train: D/, test: D/test_batch.bin}   # optional, proxy: as NAS's (absent: Fashion-MNIST)
//   output: results/lacs.h5
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/kinds/accuracy/accuracy_source.h"
#include "experiments/kinds/shared_settings.h"

namespace rp::kinds {

struct LacsSettings {
  std::string kind = "lacs", name;
  std::string base;
  Hardware hardware;
  std::string objective;  // latency-aware | accuracy-only
  settings::Range alpha, beta, gamma;
  bool refine = true;
  int refine_top = 3, refine_divisions = 5;
  int phi = 7;
  double search_phi = 1;
  double flops_budget = 2.0, flops_tolerance = 0.1;
  double target_latency_ms = 0;  // 0: latency_ratio^search_phi x the base's latency
  double latency_ratio = 2.0;
  RewardSettings reward;        // absent: hard (0, -1)
  std::string accuracy_method;  // surrogate | proxy
  std::string fit = "all";      // surrogate
  double base_top1 = 0;         // surrogate: 0 = the surrogate's own
  ProxyTraining training{2000, 1, 1};
  double width = 0.25;                    // proxy width multiplier
  AccuracySource accuracy_source;         // table / command (experiments/kinds/accuracy/accuracy_source.h)
  traces::DatasetSpec dataset;            // dataset: (absent: Fashion-MNIST), as NAS's
  std::string dataset_mean, dataset_std;  // not settings: the loaded training split's, for the output attributes
  std::string output;
  int64_t point_limit = 1000000;
};
void describe(settings::SettingsVisitor& v, LacsSettings& s);
// Keys of LACS declared once, for the kinds that take a LACS family (codesign's lacs_family:, docs/codesign.md):
// the surrogate's `fit` and `base_top1` in an accuracy section, the `base` network (an MBConv zoo name or network
// file), and the bounds of a compound-scaling coefficient (alpha, beta, gamma) with `description`.
void declare_surrogate_keys(settings::SettingsVisitor& a, std::string& fit, double& base_top1);
void declare_lacs_base(settings::SettingsVisitor& v, std::string& base);
settings::ParamSpec lacs_coefficient_spec(const std::string& description);
std::vector<settings::KeyInfo> lacs_keys();
// Reads and validates `file` (accelerator and overrides built once, batch resolved, the grid's size limited).
// `output`: `run --output PATH` (empty: the file's `output`, relative to the file).
LacsSettings load_lacs(const std::string& file, const std::string& output = "");

}  // namespace rp::kinds
