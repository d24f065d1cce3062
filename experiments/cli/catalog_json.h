#pragma once
// The JSON of `models --json`, `accelerators --json`, `info --json` and `validate --json`, built once here so the CLI
// and the Python module (python/) return the same objects.
#include <string>

#include <nlohmann/json.hpp>

#include "experiments/validation/validate.h"
#include "traces/network/network.h"

namespace rp::cli {

// [{name, resolution, description}] of the model zoo, in listing order.
nlohmann::json models_json();
// [{name, family, precision, default_batch, clock_mhz, hbm.bandwidth_gbps, peak_flops, yaml}] of the built-in
// accelerators: the config keys under their own names and units (as `--set` takes them: clock_mhz in MHz,
// hbm.bandwidth_gbps in GB/s per chip), peak_flops (FLOP/s at the accelerator's precision, derived, named as in
// `simulate --json`), and `yaml`, the path of the installed copy in `copies_dir` ("" when there is none).
nlohmann::json accelerators_json(const std::string& copies_dir);
// {model, resolution, batch, dtype, params, macs, flops, weight_bytes, activation_bytes, layers: [...]}.
nlohmann::json network_json(const traces::Network& n);
// [{key, type, unit, bounds, min, max, description, families, accelerators}] of every accelerator config key (the
// parameter declarations, accel_models/config/param.h) of the built-in accelerators, sorted by key; a key is
// listed once with the families and built-ins that have it. `family` non-empty: only that family's keys
// (UsageError naming the known families for an unknown one). min / max are null when unbounded; unit is "" for
// counts and switches.
nlohmann::json accelerator_keys_json(const std::string& family);
// {batch_per_device, rows: [{model, paper_model, accel, source, paper_row, batch, fitted_on, simulated_ms,
// measured_ms, error}], accelerators: {NAME: {rows, mape, max_error, spearman, ratios: [{name, simulated, measured,
// error}]}}} (spearman null under 5 rows): the object `ridgepoint validate --json` prints, and rp.validate() returns.
nlohmann::json validation_json(const validation::ValidationReport& r);

}  // namespace rp::cli
