#pragma once
// Terminal table and JSON renderings of a sensitivity analysis (accel_models/sensitivity.h), for
// `ridgepoint sensitivity` and Python's ridgepoint.sensitivity().
#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "accel_models/sensitivity.h"

namespace rp::cli {

// What the analysis ran on, for the headings.
struct SensitivityRun {
  std::string network;
  std::string accelerator;  // name
  std::string label;        // where the config came from ("tpuv3.yaml (built-in)")
  int64_t batch = 0;
  std::string batch_rule;  // what chose the batch (experiments/kinds/model_files.h); may be empty
};

// One object: network, accelerator, accelerator_label, batch (batch_rule), step, targets (each with its field,
// unit and modelled), a line per target that is not modelled ("energy": "not modelled: ..."), base (figure by
// field name), bottleneck and its busy fraction, simulations and rows (ranked: rank, key, unit, type, base, down
// and up each with value, evaluated, reason or the figures and elasticities by target, binding_unit, score).
// An elasticity that is not defined is null.
nlohmann::json sensitivity_json(const accel::Sensitivity& s, const SensitivityRun& run);

// The ranked table; `top` > 0 shows the first `top` rows (the count of the rest is said), then every direction
// that was not evaluated with its reason.
void print_sensitivity(std::ostream& out, const accel::Sensitivity& s, const SensitivityRun& run, int top = 0);

}  // namespace rp::cli
