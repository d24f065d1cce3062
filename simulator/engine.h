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
//
// Only units that serve at least one task are elaborated as SystemC modules (one method process each); a unit
// without tasks would never run, and its UnitRecord is all zero either way. This keeps the cost of a run tied to
// the work in it, not to how many units a configuration declares (1,024 DMA engines per core of which a fusion's
// 16 tiles use 16): SystemC 2.3.4 deletes a context's processes in time quadratic in their number (its process
// table's destructor unlinks each process before releasing it, so each release then scans the rest of the list).
#include <cstdint>
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
  Ps makespan = 0;                // latest end over all tasks; 0 for an empty graph
  std::vector<TaskRecord> tasks;  // indexed by TaskId
  std::vector<UnitRecord> units;  // indexed by UnitId
};

// Limits on the size of one simulation, so that a run's time and memory stay bounded for every configuration
// within the documented parameter bounds. Measured on the 2-core development machine (SystemC 2.3.4):
//  - tasks: about 0.65 us and 160 bytes each (EfficientNet-B0 lowered into 1.93 M tasks ran in 1.3 s with a peak
//    of 320 MB), so kMaxTasks keeps a run under about 2 s and 400 MB;
//  - units serving tasks (one SystemC process each): deleting 8,192 processes takes about 0.5 s, 16,384 about
//    2.2 s (quadratic, see above).
constexpr int64_t kMaxTasks = 2'000'000;
constexpr int64_t kMaxActiveUnits = 8'192;

// Throws rp::SimulationError ("needs N tasks, more than the limit of M per simulation: ...") when `tasks` exceeds
// kMaxTasks or `active_units` exceeds kMaxActiveUnits. Lowerings call it with their count before building a task
// graph that large; run() calls it on every graph.
void check_size(int64_t tasks, int64_t active_units);

// Called once per task as it ends, in simulation order (non-decreasing record.end). May throw: the exception stops
// the run and propagates out of run().
class IEngineObserver {
 public:
  virtual ~IEngineObserver() = default;
  virtual void on_task_end(TaskId id, const Task& task, const TaskRecord& record) = 0;
};

// Runs `g` with units[u] serving the tasks whose Task::unit == u. The models are borrowed; they must outlive the call.
// Throws rp::SimulationError for a null model, a task whose unit is out of range, a graph over the size limits
// (check_size), a negative service time, or a simulation that ends with tasks unfinished. An exception thrown by a
// model or the observer propagates unchanged.
EngineResult run(const TaskGraph& g, const std::vector<IUnitModel*>& units, IEngineObserver* observer = nullptr);

}  // namespace rp::sim
