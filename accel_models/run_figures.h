#pragma once
// What a simulation's report (sim::SimResult) is assembled from, in additive form: the engine's totals per unit,
// the memories' totals, each group's span and HBM bytes, and the units' registered counters. simulate_lowered()
// fills it from one engine run; the evaluator's group memo (group_memo.h) from its per-group records, and both
// hand it to assemble(), so a report has one assembly whichever way its figures were gathered.
#include <cstdint>
#include <string>
#include <vector>

#include "accel_models/common/accelerator.h"
#include "simulator/engine.h"
#include "simulator/sim_result.h"

namespace rp::accel {

struct StatRow {  // one registered counter of one unit (IUnitModel::register_stats), as StatGroup::visit gives it
  std::string path, description, unit;
  double value = 0;
};

struct MemoryFigures {  // one HBM instance's totals (hbm.h)
  std::string name;
  int channels = 0;
  sim::Ps busy = 0, wait = 0;
  int64_t transfers = 0;
};

struct RunFigures {
  sim::Ps makespan = 0;
  int64_t tasks = 0;
  std::vector<sim::Ps> group_start, group_end;  // per group: first task start, last task end (max / 0: none ran)
  std::vector<double> group_bytes;              // per group: HBM bytes of its loads and stores
  double transfer_bytes = 0;                    // on-chip side of HBM transfers and L2-served loads (energy_model.h)
  std::vector<sim::UnitRecord> units;           // per unit (index == UnitId)
  std::vector<std::vector<StatRow>> stats;      // per unit
  std::vector<MemoryFigures> memories;          // per memory, in Lowered::memories order
};

// The figures of one engine run of `low`; `stats` holds each unit's registered counters (read now).
RunFigures run_figures(sim::EngineResult er, const Lowered& low, const std::vector<sim::StatGroup>& stats);

// The report of a run of `net` lowered into `units` and `groups` (Lowered's) on `info`, as simulate() gives it.
// `layers` false leaves SimResult::layers empty (every other field as with it): for the evaluator's figures.
sim::SimResult assemble(const RunFigures& f, const std::vector<LoweredUnit>& units,
                        const std::vector<LoweredGroup>& groups, const traces::Network& net,
                        const AcceleratorInfo& info, bool layers = true);

}  // namespace rp::accel
