#pragma once
// A configured accelerator: its identity and peak figures, and the lowering of a network into unit tasks.
// Built from a validated typed config (config/accelerator_config.h); immutable. lower() may be called any number
// of times and returns fresh unit models each time, so simulations are independent.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "accel_models/energy/energy_params.h"
#include "accel_models/hbm/hbm.h"
#include "simulator/task_graph.h"
#include "simulator/unit_model.h"
#include "traces/network/network.h"

namespace rp::accel {

struct AcceleratorInfo {
  std::string name;    // e.g. "tpuv3"
  std::string family;  // "tpu" or "gpu": selects the lowering rules
  std::string label;   // where the config came from
  traces::DType precision = traces::DType::kBF16;
  int64_t default_batch = 0;
  double peak_flops = 0;       // FLOP/s of the whole device (2 per MAC)
  double hbm_bandwidth = 0;    // peak bytes/s of the whole device
  MemoryLayout memory;         // HBM capacity and how the batch shares it
  std::string resolved_yaml;   // the full config after overrides
  EnergyRates energy;          // at `precision` (energy/energy_params.h); zeros where the config states none
  AreaBreakdown area;          // first-order die area of the config
  double area_budget_mm2 = 0;  // area.budget_mm2: 0 none; else a larger area is infeasible (evaluate.h)
};

// Task::kind codes shared by the lowerings, used to attribute results (names: task_kind_names() in simulate.h).
// Only kLoad / kStore bytes count as HBM traffic; kL2Load is an input read served by a GPU's L2.
enum TaskKind : int32_t { kCompute = 0, kLoad = 1, kStore = 2, kDispatch = 3, kL2Load = 4 };

struct LoweredUnit {
  std::unique_ptr<sim::IUnitModel> model;
  std::string kind;       // aggregation key in reports: "matrix", "vector", "dma_read", ...
  bool headline = false;  // one of the units `compare` shows (the compute units of the family)
};

struct LoweredGroup {
  std::string name;
  std::vector<std::string> members;
  std::string unit;  // kind of the unit doing the main work
  int64_t macs = 0;
};

struct Lowered {
  sim::TaskGraph graph;                             // Task::layer = index into groups
  std::vector<LoweredUnit> units;                   // Task::unit = index into units
  std::vector<std::unique_ptr<HbmModel>> memories;  // shared by the units that reference them
  std::vector<LoweredGroup> groups;
};

class IFamilyRules;  // lowering/skeleton.h

class IAccelerator {
 public:
  virtual ~IAccelerator() = default;
  virtual const AcceleratorInfo& info() const = 0;
  // Throws SimulationError when the network cannot be mapped (e.g. a layer does not fit on-chip memory).
  virtual Lowered lower(const traces::Network& net) const = 0;
  // The lowering rules lower() applies on the shared skeleton, if it does (the group memo needs them); else null.
  virtual const IFamilyRules* rules() const { return nullptr; }
};

}  // namespace rp::accel
