#pragma once
// Sensitivity of a network's figures to every numeric hardware key of an accelerator config: for each key a
// relative step down and up (one simulation each), the elasticity d ln y / d ln x of each target figure, and the
// unit kind that binds. A method: no file I/O; the CLI (`ridgepoint sensitivity`) and Python render its result.
//
//   const accel::AcceleratorConfig base = accel::AcceleratorConfig::load("tpuv3");
//   const accel::Sensitivity s = accel::sensitivity(base, network, {});   // 1 + 2 x keys simulations at most
//   for (const auto& row : s.rows) use(row.key, row.latency.up);           // ranked, largest |elasticity| first
//
// Contract:
//  - Keys: every "real" or "integer" key of the config (AcceleratorConfig::params()) but the identity key
//    default_batch (the network, batch included, is given) and the energy: and area: sections (the cost model's
//    coefficients and budgets, not design choices); switches and words are not numeric keys. Options::keys
//    restricts the analysis to the keys listed, any numeric key (shorthands accepted); an unknown or non-numeric
//    key is a UsageError.
//  - Step: x1 = x0 x (1 - step) down and x0 x (1 + step) up, step in (0, 1) (UsageError otherwise). An integer key
//    rounds to the nearest integer, and moves by one when rounding gives x0 back. A direction whose value leaves the
//    key's declared bounds, that the config's cross-field rules refuse, or on which the network is infeasible (does
//    not fit, cannot be mapped) is reported as not evaluated with the reason, never left out; a key whose base
//    value is 0 has no relative step (both directions not evaluated, no simulation).
//  - Elasticity of a figure y: ln(y1 / y0) / ln(x1 / x0), per direction (the value actually simulated: x1 after
//    rounding); absent when y0 or y1 is not positive. Rows are ranked by the largest |elasticity| over every target
//    figure and both directions (ties by key); a key with no evaluated direction ranks last.
//  - Targets: the figures of sensitivity_targets() that the result schema (sim::result_fields()) has, read by
//    name; the others are listed in Sensitivity::not_modelled (no zeros stand in for them).
//  - Binding unit: the unit kind (or datapath) whose busy time per instance (busy_ms / instances) changes most, in
//    absolute terms, over the evaluated directions; when no unit's busy time changes, the base run's bottleneck
//    (the unit kind with the largest busy fraction); "" when no direction was evaluated.
//  - Simulations: exactly one for the base and one per evaluated direction or infeasible one (a value refused by
//    the bounds or the cross-field rules is not simulated); Options::on_simulation is called after each.
//  - The base run must be feasible: SimulationError with the reason otherwise.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accel_models/config/accelerator_config.h"
#include "traces/network/network.h"

namespace rp::accel {

// A figure the analysis differentiates: a short name for headings and the result field it reads.
struct SensitivityTarget {
  const char* name;   // "latency", "energy"
  const char* field;  // a sim::result_fields() name: "latency_ms", "energy_per_inference_mj"
};
// The one table of target figures, in report order.
const std::vector<SensitivityTarget>& sensitivity_targets();

struct SensitivityOptions {
  double step = 0.1;              // relative step, in (0, 1)
  std::vector<std::string> keys;  // empty: every numeric key
  // After each simulation: the key ("" for the base run) and the value simulated (YAML units; 0 for the base).
  std::function<void(const std::string& key, double value)> on_simulation;
};

// One direction of one key.
struct Probe {
  double value = 0;                               // the stepped value, in the key's unit (also when not evaluated)
  bool evaluated = false;                         // simulated and feasible
  std::string reason;                             // why not evaluated (empty when evaluated)
  std::vector<double> figures;                    // per modelled target (when evaluated)
  std::vector<std::optional<double>> elasticity;  // per modelled target (when evaluated)
};

struct KeySensitivity {
  std::string key;   // full dotted key
  std::string unit;  // its unit ("" for counts and ratios)
  std::string type;  // "real" or "integer"
  double base = 0;   // the base value, in the key's unit
  Probe down, up;
  std::string binding_unit;
  double score = -1;  // largest |elasticity| over targets and directions; -1 when nothing was evaluated
};

struct Sensitivity {
  std::vector<SensitivityTarget> targets;       // the modelled ones, in table order
  std::vector<SensitivityTarget> not_modelled;  // in the table but not in the result schema
  std::vector<double> base;                     // per modelled target
  std::string bottleneck;                       // the base run's busiest unit kind
  double bottleneck_busy = 0;                   // its busy fraction
  double step = 0;
  std::vector<KeySensitivity> rows;  // ranked
  int64_t simulations = 0;
};

// The keys sensitivity() varies by default: every real and integer key but default_batch, sorted.
std::vector<ParamInfo> numeric_keys(const AcceleratorConfig& config);

Sensitivity sensitivity(const AcceleratorConfig& base, const traces::Network& net,
                        const SensitivityOptions& options = {});

}  // namespace rp::accel
