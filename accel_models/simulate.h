#pragma once
// The public simulation API: simulate(network, accelerator, options) -> SimResult.
// Lowers the network, runs the SystemC engine, and aggregates per-unit, per-layer and roofline figures.
// Repeatable (same inputs, same result to the picosecond) and safe to call thousands of times in one process.
#include "accel_models/common/accelerator.h"
#include "simulator/engine.h"
#include "simulator/sim_result.h"

namespace rp::accel {

struct SimOptions {
  sim::IEngineObserver* observer = nullptr;  // e.g. a trace writer; sees every task as it ends
};

sim::SimResult simulate(const traces::Network& net, const IAccelerator& acc, const SimOptions& options = {});

}  // namespace rp::accel
