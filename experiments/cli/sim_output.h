#pragma once
// Terminal table and JSON renderings of a SimResult.
#include <iosfwd>

#include <nlohmann/json.hpp>

#include "accel_models/common/accelerator.h"
#include "simulator/sim_result.h"

namespace rp::cli {

nlohmann::json result_json(const sim::SimResult& r, const accel::AcceleratorInfo& info);
void print_result(std::ostream& out, const sim::SimResult& r, const accel::AcceleratorInfo& info, bool layers);

}  // namespace rp::cli
