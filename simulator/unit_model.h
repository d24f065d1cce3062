#pragma once
// The timing-model interface that accelerator units implement in plain C++ (no SystemC needed). The engine wraps each
// model in a SystemC module that serves one task at a time from its ready queue.
#include <string>

#include "simulator/stats.h"
#include "simulator/task_graph.h"
#include "simulator/time.h"

namespace rp::sim {

class IUnitModel {
 public:
  virtual ~IUnitModel() = default;

  // Stable, human-readable name, copied into UnitRecord::name.
  virtual const std::string& name() const = 0;

  // Time (>= 0) from `now` until `task` completes on this unit; the unit is busy for that whole time. Called exactly
  // once per task, in simulation order (non-decreasing `now`; calls from different units at the same `now` come in
  // a fixed but unspecified order). May consult shared resources (e.g. an HBM model whose channels are reserved),
  // which is how concurrent requesters contend. May throw: the run stops and the exception leaves run() unchanged.
  // A negative result is reported as rp::SimulationError.
  virtual Ps service(const Task& task, Ps now) = 0;

  // Called once at the start of every run, before any service(): clear per-run state (reservations, counters).
  virtual void reset() {}

  // Registers the model's own counters (beyond the busy time, contention and task count the engine keeps for
  // every unit) once, before the run; they are read after it. A child group with a "busy_ms" stat is a datapath of
  // the unit (e.g. the SM array's tensor cores) and is reported as a unit of its own, "<kind>.<child>".
  virtual void register_stats(StatGroup& group) { (void)group; }
};

}  // namespace rp::sim
