#pragma once
// The simulation engine: executes a TaskGraph on units (IUnitModel) in SystemC and reports timing. Generic: it knows
// nothing of accelerators or networks.
//
// Semantics. A task is ready when all its dependencies have ended (tasks without dependencies are ready at 0). Each
// unit serves one task at a time from its own ready queue, earliest ready time first, ties by lower TaskId; tasks of
// different units run concurrently. A unit that becomes free at time t picks its next task only after every task
// ending at t has released its successors, so simultaneous arrivals are ordered by TaskId, not by SystemC event
// order. (Exception: a task released at t by a zero-duration task that itself started at t arrives one delta cycle
// later and may find the unit already serving a higher TaskId.)
// Queueing is where contention comes from: UnitRecord::wait sums (start - ready) over the unit's tasks.
//
// Runs are independent and repeatable: each run() gets a fresh SystemC simulation context that is destroyed before
// it returns (also on error), and calls reset() on every model first. Not thread-safe (SystemC is not): run
// parallel simulations in separate processes.
#include <string>
#include <vector>

#include "simulator/task_graph.h"
#include "simulator/time.h"
#include "simulator/unit_model.h"

namespace rp::sim {

struct TaskRecord {
  Ps ready = 0;  // all dependencies done
  Ps start = 0;  // the unit began serving it
  Ps end = 0;    // done
};

struct UnitRecord {
  std::string name;  // IUnitModel::name()
  Ps busy = 0;       // sum of (end - start)
  Ps wait = 0;       // sum of (start - ready): time its tasks spent queued (contention)
  int64_t tasks = 0;
};

struct EngineResult {
  Ps makespan = 0;                 // latest end over all tasks; 0 for an empty graph
  std::vector<TaskRecord> tasks;   // indexed by TaskId
  std::vector<UnitRecord> units;   // indexed by UnitId
};

// Called once per task as it ends, in simulation order (non-decreasing record.end). May throw: the exception stops
// the run and propagates out of run().
class IEngineObserver {
 public:
  virtual ~IEngineObserver() = default;
  virtual void on_task_end(TaskId id, const Task& task, const TaskRecord& record) = 0;
};

// Runs `g` with units[u] serving the tasks whose Task::unit == u. The models are borrowed; they must outlive the call.
// Throws rp::SimulationError for a null model, a task whose unit is out of range, a negative service time, or a
// simulation that ends with tasks unfinished. An exception thrown by a model or the observer propagates unchanged.
EngineResult run(const TaskGraph& g, const std::vector<IUnitModel*>& units, IEngineObserver* observer = nullptr);

}  // namespace rp::sim
