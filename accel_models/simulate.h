#pragma once
// The public simulation API: simulate(network, accelerator, options) -> SimResult.
// Lowers the network, runs the SystemC engine, and aggregates per-unit, per-layer and roofline figures.
// Repeatable (same inputs, same result to the picosecond) and safe to call thousands of times in one process.
#include <string>
#include <vector>

#include "accel_models/common/accelerator.h"
#include "simulator/engine.h"
#include "simulator/sim_result.h"

namespace rp::accel {

struct SimOptions {
  // e.g. a trace recorder (traces/writers/task_recorder.h); sees every task as it ends. Task::unit indexes
  // SimResult::instances, Task::layer indexes SimResult::layers, Task::kind names are task_kind_names().
  sim::IEngineObserver* observer = nullptr;
};

// Names of the TaskKind codes (accel_models/common/accelerator.h), indexed by code: "compute", "load", "store",
// "dispatch", "l2_load". Stable: written into traces. A new code gets its name here.
const std::vector<std::string>& task_kind_names();

// Throws SimulationError with memory_check.h's one-line reason when the network does not fit the HBM capacity.
sim::SimResult simulate(const traces::Network& net, const IAccelerator& acc, const SimOptions& options = {});
// The second half of simulate(): runs an already lowered network (evaluate() checks capacity and lowers first, as
// its feasibility check). Fills the memory figures but does not check them.
sim::SimResult simulate_lowered(Lowered low, const traces::Network& net, const AcceleratorInfo& info,
                                const SimOptions& options = {});

}  // namespace rp::accel
