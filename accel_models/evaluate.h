#pragma once
// The evaluation API for search (nas/, lacs/), sweeps and calibration: build an accelerator once from a typed
// config, derive variants by typed overrides, and evaluate many networks on it in process.
//
//   const accel::AcceleratorConfig base = accel::AcceleratorConfig::load("tpuv3");      // YAML read once, here
//   const accel::AcceleratorConfig big = base.with({{"hbm.bandwidth_gbps", 1200.0}});   // typed, no text parsing
//   const auto acc = big.build();                                                        // reusable, immutable
//   accel::Evaluation e = accel::evaluate([&] { return make_candidate(); }, *acc);
//   if (!e.ok) record_infeasible(e.reason); else use(e.result.latency_ms);
//
// Contract:
//  - AcceleratorConfig::load() and with() validate (config/accelerator_config.h); bad user input (unknown key,
//    value out of range, wrong type) throws UsageError naming the file or key and what was expected. A config
//    that loaded is always buildable.
//  - evaluate() never throws for an infeasible candidate: a network that cannot be built (bad shape: UsageError
//    from the network IR) or cannot be mapped (a layer that does not fit on chip: SimulationError) comes back as
//    {ok = false, reason}. check() is the cheap feasibility pre-check that evaluate() runs first (the lowering
//    rules only, no simulation); evaluate() then simulates the lowering it made.
//  - Deterministic: the same network on the same accelerator gives the same result to the picosecond.
//  - Not thread-safe (SystemC is not): run parallel evaluations in separate processes.
#include <functional>
#include <string>

#include "accel_models/config/accelerator_config.h"
#include "simulator/sim_result.h"
#include "traces/network/network.h"

namespace rp::accel {

struct Feasibility {
  bool ok = true;
  std::string reason;  // empty when ok
};

struct Evaluation {
  bool ok = false;
  std::string reason;     // why the candidate is infeasible (empty when ok)
  sim::SimResult result;  // filled when ok
};

// Cheap pre-check: the lowering's capacity rules without running the task graph.
Feasibility check(const traces::Network& net, const IAccelerator& acc);

Evaluation evaluate(const traces::Network& net, const IAccelerator& acc);
// Builds the candidate network first; a UsageError from building it is an infeasible result too.
Evaluation evaluate(const std::function<traces::Network()>& make_network, const IAccelerator& acc);

}  // namespace rp::accel
