#pragma once
// An experiment config (`ridgepoint run FILE.yaml`), parsed once and validated before any simulation starts.
//
//   kind: sweep                  # simulate | sweep
//   models: [efficientnet-b0]    # zoo names or network files
//   accelerators: [tpuv3]        # built-in names or YAML files
//   batch: 128                   # optional (default: each accelerator's default_batch)
//   set: [lowering.min_tiles=8]  # optional fixed overrides for every point
//   output: sweep.h5             # HDF5 results (relative paths: relative to the current directory); an existing
//                                # file is replaced only if Ridgepoint wrote it (traces/writers/output_guard.h)
//   point_limit: 2000000         # optional: allow more than the default 1,000,000 points
//   grid:                        # sweep only: dotted key -> values; the points are the cartesian product ...
//                                # (accelerator keys, or the workload keys `batch` and `resolution`)
//     hbm.bandwidth_gbps: [600, 900, 1200]
//   zip:                         # ... times these keys moving together (equal-length lists)
//     matrix_unit.rows: [64, 128, 256]
//     matrix_unit.cols: [64, 128, 256]
#include <cstdint>
#include <string>
#include <vector>

#include "accel_models/config/accelerator_config.h"

namespace rp::run {

struct Point {
  int64_t index = 0;                  // position in the expanded order (stable across runs)
  std::string accelerator, model;
  std::vector<std::string> values;    // one per Experiment::params, as given in the YAML
  std::vector<std::string> overrides; // fixed sets + "key=value" for this point (as text, for reports)
  size_t accelerator_index = 0;       // into Experiment::configs
  std::vector<accel::Override> typed; // this point's swept values, typed (applied to the accelerator's config)
  int64_t batch = 0;                  // swept `batch` (0: the experiment's or the accelerator's default)
  int resolution = 0;                 // swept `resolution` (0: each model's own)
};

struct Experiment {
  std::string file;
  std::string kind;                   // "simulate" or "sweep"
  std::vector<std::string> models, accelerators, sets;
  int64_t batch = 0;                  // 0: accelerator default
  std::string output;
  std::vector<std::string> params;    // swept keys: grid keys then zip keys
  std::vector<std::vector<std::string>> grid;  // values per grid key
  std::vector<std::vector<std::string>> zip;   // values per zip key (equal lengths)
  std::string canonical;              // normalised text identifying the experiment (for resume)
  std::vector<accel::AcceleratorConfig> configs;  // per accelerator, with the fixed sets applied: read once

  // Parses and validates `file`: structure, then every accelerator config is read once and every point's typed
  // overrides are applied once, so an unknown key, an empty grid or a bad value is reported (UsageError) before
  // any simulation starts.
  static Experiment load(const std::string& file);
  std::vector<Point> points() const;  // accelerator-major, then grid/zip point, then model
};

}  // namespace rp::run
