#pragma once
// A `kind: hurricane` experiment YAML (docs/hurricane.md), validated completely before anything runs:
//   kind: hurricane
//   accelerator: v100                  # built-in name or YAML path
//   set: {}                            # optional accelerator overrides, as --set
//   batch: 128                         # optional latency batch (default: the accelerator's default_batch)
//   resolution: 224                    # optional (default 224)
//   latency_constraint_ms: 20
//   space: {layers: 20, p: 4, alpha: 0.5, exploring_layers: 4}   # + pool: [ops] or ops: [hand-designed list]
//   supernet: {train_images: 50000, epochs: 3, seed: 1}          # + batch, lr, width, stage2_fraction, ...
//   search: {population: 50, generations: 20, t: 8, seed: 1}     # + parents, mutation
//   retrain: {train_images: 10000, epochs: 1}                    # optional: the winner trained from scratch
//   output: results/hurricane.h5
#include <cstdint>
#include <string>
#include <vector>

#include "nas/hurricane/search/evolution.h"
#include "nas/hurricane/space/space_gen.h"

namespace rp::hurricane {

struct SupernetSettings {
  int64_t train_images = 10000;  // the first of Fashion-MNIST's 50K training pool (the last 10K: validation)
  int epochs = 1;                // stage 1 (or the one stage when t = 0) trains epochs x train_images images
  double stage2_fraction = 0.1;  // stage 2 fine-tunes this fraction of stage 1's images
  uint64_t seed = 1;
  int batch = 64;
  double lr = 2e-3;              // Adam
  double width = 0.25;           // proxy width (traces/zoo/layerwise_net.h)
  int64_t val_images = 2000;     // fitness: validation images scored per candidate
  int64_t bn_images = 1000;      // fitness: training images for the path's BN recalibration
};

struct RetrainSettings {
  bool enabled = false;
  int64_t train_images = 10000;
  int epochs = 1;
  uint64_t seed = 1;
};

struct HurricaneExperiment {
  std::string file;
  std::string accelerator;
  std::vector<std::string> set;  // "key=value"
  int64_t batch = 0;             // resolved
  int resolution = 224;
  double latency_constraint_ms = 0;
  int layers = 20;
  SpaceOptions space;
  SupernetSettings supernet;
  EaOptions search;
  int t = 8;                     // layers of stage 2 (the first t); 0: one-stage search
  RetrainSettings retrain;
  std::string output;

  // Throws UsageError naming the file and key (unknown keys, p larger than the pool, t >= layers, unknown op
  // names, values out of range, a bad accelerator or output path).
  static HurricaneExperiment load(const std::string& file);
  std::string canonical() const;  // JSON of every setting but the output path (identifies a resumable run)
};

}  // namespace rp::hurricane
