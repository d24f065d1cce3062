#pragma once
// Terminal table and JSON renderings of a SimResult.
#include <iosfwd>

#include <nlohmann/json.hpp>

#include "accel_models/common/accelerator.h"
#include "simulator/sim_result.h"

namespace rp::cli {

// A unit kind's contention per instance: contention_ms (summed over its instances) / instances; for HBM, per
// channel. The JSON adds it as "contention_ms_per_instance" beside "contention_ms".
double contention_per_instance(const sim::UnitSummary& u);

nlohmann::json result_json(const sim::SimResult& r, const accel::AcceleratorInfo& info);
void print_result(std::ostream& out, const sim::SimResult& r, const accel::AcceleratorInfo& info, bool layers);
// The per-layer (fusion / kernel) table as CSV: name, unit, fused layers, then the result schema's layer fields.
void write_layers_csv(std::ostream& out, const sim::SimResult& r);

}  // namespace rp::cli
