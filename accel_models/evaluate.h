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
//  - load() and with() validate; bad user input (unknown key, value out of range, wrong type) throws UsageError
//    naming the file or key and what was expected. A config that loaded is always buildable.
//  - evaluate() never throws for an infeasible candidate: a network that cannot be built (bad shape: UsageError
//    from the network IR) or cannot be mapped (a layer that does not fit on chip: SimulationError) comes back as
//    {ok = false, reason}. check() is the cheap feasibility pre-check that evaluate() runs first (lowering rules
//    only, no simulation).
//  - Deterministic: the same network on the same accelerator gives the same result to the picosecond.
//  - Not thread-safe (SystemC is not): run parallel evaluations in separate processes.
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "accel_models/common/accelerator.h"
#include "simulator/sim_result.h"
#include "traces/network/network.h"

namespace rp::accel {

// A typed parameter value: a number (in the unit of the key's name, e.g. GB/s for hbm.bandwidth_gbps), a switch,
// or a word (precision).
using ParamValue = std::variant<double, bool, std::string>;

struct Override {
  std::string key;  // dotted key as in the YAML, e.g. "matrix_unit.rows"
  ParamValue value;
};

class AcceleratorConfig {
 public:
  // A built-in name (tpuv2, tpuv3, tpuv4, v100, a100, h100) or the path of an accelerator YAML file.
  static AcceleratorConfig load(const std::string& name_or_file);
  // A copy with the overrides applied and validated (cross-field checks included).
  AcceleratorConfig with(const std::vector<Override>& overrides) const;
  // The same from "key=value" text (the CLI's --set), each value parsed once by its key's type.
  AcceleratorConfig with_text(const std::vector<std::string>& key_values) const;
  // Builds the accelerator (cheap: no YAML).
  std::shared_ptr<const IAccelerator> build() const;

  const std::string& name() const;
  const std::string& label() const;              // where it came from: "tpuv3.yaml (built-in)" or the file path
  std::vector<std::string> keys() const;         // every settable dotted key
  std::string yaml() const;                      // the resolved config as YAML text (provenance)

  struct Impl;
  explicit AcceleratorConfig(std::shared_ptr<const Impl> impl);
  const Impl& impl() const { return *impl_; }

 private:
  std::shared_ptr<const Impl> impl_;
};

struct Feasibility {
  bool ok = true;
  std::string reason;  // empty when ok
};

struct Evaluation {
  bool ok = false;
  std::string reason;     // why the candidate is infeasible (empty when ok)
  sim::SimResult result;  // filled when ok
};

// Cheap pre-check: the lowering's capacity rules without building or running the task graph.
Feasibility check(const traces::Network& net, const IAccelerator& acc);

Evaluation evaluate(const traces::Network& net, const IAccelerator& acc);
// Builds the candidate network first; a UsageError from building it is an infeasible result too.
Evaluation evaluate(const std::function<traces::Network()>& make_network, const IAccelerator& acc);

}  // namespace rp::accel
