#pragma once
// The settings of `kind: hurricane` (docs/hurricane.md), declared once (experiments/settings/settings.h):
//   kind: hurricane
//   accelerator: v100                  # built-in name or YAML file
//   set: {}                            # optional accelerator overrides, as --set
//   batch: 128                         # optional latency batch (default: the accelerator's default_batch)
//   resolution: 224                    # optional (default 224)
//   latency_constraint_ms: 20
//   space: {layers: 20, p: 4, alpha: 0.5, exploring_layers: 4}   # + pool: [ops] or ops: [hand-designed list]
//   supernet: {train_images: 50000, epochs: 3, seed: 1}          # + batch, lr, width, stage2_fraction, ...
//   search: {population: 50, generations: 20, t: 8, seed: 1}     # + parents, mutation
//   retrain: {train_images: 10000, epochs: 1}                    # optional: the winner trained from scratch
//                                      # or rated by another accuracy source: retrain: {method: table, file: F}
//                                      # retrain: {device: cpu, dataset: {format: cifar10, ...}} as NAS's keys
//                                      # / {method: command, argv: [...], timeout_s: N} (docs/accuracy.md)
//   output: results/hurricane.h5
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/kinds/accuracy/accuracy_source.h"
#include "experiments/kinds/shared_settings.h"

namespace rp::kinds {

struct HurricaneSettings {
  std::string kind = "hurricane", name;
  Hardware hardware;
  int resolution = 224;
  double latency_constraint_ms = 0;
  // space
  int layers = 20, p = 4, exploring_layers = 4;
  double alpha = 0.5;
  std::vector<std::string> pool, ops;
  // supernet
  ProxyTraining supernet{10000, 1, 1};
  int supernet_batch = 64;
  double lr = 2e-3, width = 0.25, stage2_fraction = 0.1;
  int64_t val_images = 2000, bn_images = 1000;
  // search
  int population = 50, generations = 20, parents = 10, t = 8;
  double mutation = 0.1;
  int64_t search_seed = 1;
  // retrain
  bool retrain = false;
  ProxyTraining retraining{10000, 1, 1};
  std::string retrain_method = "proxy";  // retrain.method: proxy (the winner), table or command (every /result row)
  AccuracySource retrain_source;         // table / command
  traces::DatasetSpec retrain_dataset;   // retrain.dataset: as NAS's dataset (absent: Fashion-MNIST)
  std::string retrain_dataset_mean, retrain_dataset_std;  // not settings: for the output attributes
  std::string output;
};
void describe(settings::SettingsVisitor& v, HurricaneSettings& s);
std::vector<settings::KeyInfo> hurricane_keys();
// Reads and validates `file`; `output`: `run --output PATH` (empty: the file's `output`, relative to the file).
HurricaneSettings load_hurricane(const std::string& file, const std::string& output = "");

}  // namespace rp::kinds
