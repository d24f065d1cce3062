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
//   # or, instead of networks:, a LACS family (lacs/family.h: levels 0..phi of the coefficients) and its accuracy:
//   lacs_family: {base: efficientnet-x-b0, alpha: 1.2, beta: 1.1, gamma: 1.15, phi: 2}
//   accuracy: {method: surrogate}     # or {method: table, file: F.csv} or {method: command, argv: [...]}
//   objectives: [latency_ms, energy_per_inference_mj]   # the default; `accuracy` (maximized) with accuracy:
//   search: {method: grid}                  # or {method: evolution, population, generations, tournament, seed}
//   output: codesign.h5
// Every key's values are typed once against the base config when the settings load (integer keys rounded, each
// value checked alone), so an unknown key or a bad value is reported, with file, line and key, before any work.
#include <cstdint>
#include <string>
#include <vector>

#include "accel_models/config/accelerator_config.h"
#include "experiments/kinds/accuracy/accuracy_source.h"
#include "experiments/kinds/shared_settings.h"
#include "experiments/settings/settings_io.h"
#include "lacs/scaling.h"
#include "traces/zoo/zoo.h"

namespace rp::kinds {

struct CodesignSettings {
  std::string kind = "codesign";
  std::string name;
  Hardware hardware;                  // accelerator, set, batch (0 until loaded: the accelerator's default_batch)
  std::vector<settings::Axis> space;  // `hardware:`
  double area_budget_mm2 = 0, power_budget_w = 0;
  std::vector<std::string> networks, objectives;
  // lacs_family: (instead of networks:): the base scaled to levels 0..phi by (alpha, beta, gamma), as a LACS run's
  // family (lacs/family.h); off when absent.
  bool family = false;
  std::string family_base;
  double alpha = 1, beta = 1, gamma = 1;
  int phi = 2;
  // accuracy: (with lacs_family: only): surrogate | table | command (proxy and python are refused: codesign runs
  // without LibTorch and without a Python caller); off when absent.
  bool accuracy = false;
  std::string accuracy_method;
  std::string fit = "all";  // surrogate
  double base_top1 = 0;     // surrogate: 0 = the surrogate's own
  AccuracySource accuracy_source;
  std::string method = "grid";
  int64_t population = 16, generations = 10, tournament = 2, seed = 1;
  std::string output;
  int64_t point_limit = 1000000;
};
void describe(settings::SettingsVisitor& v, CodesignSettings& s);
std::vector<settings::KeyInfo> codesign_keys();

// A member of a lacs_family network side: its name (BASE-phiK, the network column), level, the network (built only
// when `limit` is empty: lacs/scaling.h limit_problem) and its multipliers.
struct FamilyMember {
  std::string name;
  int phi = 0;
  traces::MbconvSpec spec;  // named as the base (as LACS's candidates: one network file, one table key)
  std::string limit;        // why the member is outside the limits of a network file ("" when inside)
  lacs::Scaled scaled;      // the level's multipliers (lacs/scaling.h scale)
};

// A loaded codesign experiment: the base config (overrides and budgets applied), each hardware key's values as
// written in /points (integers rounded) and typed, the space's sizes and its number of points; with lacs_family:
// its members (settings.networks then holds their names).
struct Codesign {
  CodesignSettings settings;
  accel::AcceleratorConfig base;
  std::vector<std::string> keys;
  std::vector<std::vector<std::string>> values;     // per key
  std::vector<std::vector<accel::Override>> typed;  // per key, per value
  std::vector<int64_t> sizes;                       // values per key
  int64_t points = 0;                               // hardware points in the space
  std::vector<FamilyMember> members;                // lacs_family: one per network, in order; empty otherwise
};
// Reads and validates `file` (UsageError "FILE:LINE: key '...': ..."); `output`: `run --output PATH`.
Codesign load_codesign(const std::string& file, const std::string& output = "");

}  // namespace rp::kinds
