#pragma once
// The settings of `kind: codesign` (docs/codesign.md): a space of accelerator keys crossed with a list of networks,
// under area and power budgets, searched by grid or evolution for the Pareto front of the objectives:
//   kind: codesign
//   accelerator: tpuv3                      # the base config (+ set: overrides), batch: optional
//   hardware:                               # each key: a list of values or a range {min, max, steps, scale}
//     matrix_unit.rows: [64, 128, 256]
//     hbm.bandwidth_gbps: {min: 450, max: 1800, steps: 3, scale: log}
//   budgets: {area_mm2: 700, power_w: 0}    # 0: no budget (area.budget_mm2, energy.power_budget_w)
//   networks: [efficientnet-x-b0, efficientnet-x-b1]
//   objectives: [latency_ms, energy_per_inference_mj]   # the default
//   search: {method: grid}                  # or {method: evolution, population, generations, tournament, seed}
//   output: codesign.h5
// Every key's values are typed once against the base config when the settings load (integer keys rounded, each
// value checked alone), so an unknown key or a bad value is reported, with file, line and key, before any work.
#include <cstdint>
#include <string>
#include <vector>

#include "accel_models/config/accelerator_config.h"
#include "experiments/kinds/shared_settings.h"
#include "experiments/settings/settings_io.h"

namespace rp::kinds {

struct CodesignSettings {
  std::string kind = "codesign";
  std::string name;
  Hardware hardware;                  // accelerator, set, batch (0 until loaded: the accelerator's default_batch)
  std::vector<settings::Axis> space;  // `hardware:`
  double area_budget_mm2 = 0, power_budget_w = 0;
  std::vector<std::string> networks, objectives;
  std::string method = "grid";
  int64_t population = 16, generations = 10, tournament = 2, seed = 1;
  std::string output;
  int64_t point_limit = 1000000;
};
void describe(settings::SettingsVisitor& v, CodesignSettings& s);
std::vector<settings::KeyInfo> codesign_keys();

// A loaded codesign experiment: the base config (overrides and budgets applied), each hardware key's values as
// written in /points (integers rounded) and typed, the space's sizes and its number of points.
struct Codesign {
  CodesignSettings settings;
  accel::AcceleratorConfig base;
  std::vector<std::string> keys;
  std::vector<std::vector<std::string>> values;     // per key
  std::vector<std::vector<accel::Override>> typed;  // per key, per value
  std::vector<int64_t> sizes;                       // values per key
  int64_t points = 0;                               // hardware points in the space
};
// Reads and validates `file` (UsageError "FILE:LINE: key '...': ..."); `output`: `run --output PATH`.
Codesign load_codesign(const std::string& file, const std::string& output = "");

}  // namespace rp::kinds
