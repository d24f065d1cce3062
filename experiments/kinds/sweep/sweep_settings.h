#pragma once
// The settings of `kind: simulate` (models x accelerators) and `kind: sweep` (x the points of a grid and a zip of
// accelerator keys and the workload keys batch, resolution and seq_len), docs/experiments.md:
//   kind: sweep
//   models: [efficientnet-b0]    # zoo names, network files or model files (.pt, .onnx; imported once per run)
//   accelerators: [tpuv3]        # built-in names or YAML files
//   batch: 128                   # optional (default: each accelerator's default_batch)
//   set: [lowering.min_tiles=8]  # optional overrides for every point (or {lowering.min_tiles: 8})
//   output: sweep.h5
//   point_limit: 2000000         # optional
//   grid: {hbm.bandwidth_gbps: [600, 900, 1200]}          # cartesian product, last key fastest
//   zip: {matrix_unit.rows: [64, 128], matrix_unit.cols: [64, 128]}   # keys moving together
// The points (Point) are expanded once: accelerator-major, then grid x zip combination, then model; each point's
// swept values are typed once against its accelerator when the settings load, so an unknown key or a bad value
// is reported before any simulation.
#include <cstdint>
#include <string>
#include <vector>

#include "accel_models/config/accelerator_config.h"
#include "experiments/settings/settings_io.h"

namespace rp::kinds {

struct SweepSettings {
  std::string kind = "sweep";  // simulate | sweep
  std::string name;
  std::vector<std::string> models, accelerators, set;
  int64_t batch = 0;  // 0: each accelerator's default_batch
  std::string output;
  int64_t point_limit = 1000000;
  std::vector<settings::Axis> grid, zip;
};
void describe(settings::SettingsVisitor& v, SweepSettings& s);
// A `models:` entry of any kind: a zoo name or network file builds; a model file is readable. In the light
// `ridgepoint` a TorchScript file throws NeedsLibTorch (the command goes to ridgepoint-torch before the run begins).
void check_model(const std::string& model);
std::vector<settings::KeyInfo> sweep_keys();

struct Point {
  int64_t index = 0;             // position in the expanded order (stable across runs)
  size_t accelerator_index = 0;  // into Sweep::configs
  std::string accelerator, model;
  std::vector<std::string> values;     // one per swept key (grid keys, then zip keys), as written
  std::vector<accel::Override> typed;  // the swept accelerator values, typed
  int64_t batch = 0;                   // 0: the settings' or the accelerator's default
  int resolution = 0;                  // 0: each model's own
  int64_t seq_len = 0;                 // 0: each model's own (sequence models; images ignore it)
};

// A loaded sweep: its settings, each accelerator's config (with the fixed overrides) and its points.
struct Sweep {
  SweepSettings settings;
  std::vector<std::string> keys;                  // swept keys: grid keys, then zip keys
  std::vector<accel::AcceleratorConfig> configs;  // per accelerator
  std::vector<Point> points;
};
// Reads and validates `file` (UsageError naming file, line and key), then types every point.
// `output`: `run --output PATH` (empty: the file's `output`, relative to the file).
Sweep load_sweep(const std::string& file, const std::string& kind, const std::string& output = "");

}  // namespace rp::kinds
