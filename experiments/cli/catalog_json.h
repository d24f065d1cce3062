#pragma once
// The JSON of `models --json`, `accelerators --json` and `info --json`, built once here so the CLI and the Python
// module (python/) return the same objects.
#include <string>

#include <nlohmann/json.hpp>

#include "traces/network/network.h"

namespace rp::cli {

// [{name, resolution, description}] of the model zoo, in listing order.
nlohmann::json models_json();
// [{name, family, precision, default_batch, peak_flops, hbm_bandwidth, yaml}] of the built-in accelerators; `yaml`
// is the path of the installed copy in `copies_dir` ("" when there is none).
nlohmann::json accelerators_json(const std::string& copies_dir);
// {model, resolution, batch, dtype, params, macs, flops, weight_bytes, activation_bytes, layers: [...]}.
nlohmann::json network_json(const traces::Network& n);
// [{key, type, unit, bounds, min, max, description, families, accelerators}] of every accelerator config key (the
// parameter declarations, accel_models/config/param.h) of the built-in accelerators, sorted by key; a key is
// listed once with the families and built-ins that have it. `family` non-empty: only that family's keys
// (UsageError naming the known families for an unknown one). min / max are null when unbounded; unit is "" for
// counts and switches.
nlohmann::json accelerator_keys_json(const std::string& family);

}  // namespace rp::cli
