#pragma once
// Internal to the engine: the SystemC module that wraps one IUnitModel, and the state a run shares between modules.
#include <exception>
#include <vector>

#include <systemc>

#include "simulator/engine.h"

namespace rp::sim::detail {

class UnitModule;

// Everything one run() shares between its unit modules. Owned by run(), outlives the modules.
struct RunState {
  RunState(const TaskGraph& g, IEngineObserver* obs, size_t num_units);

  const TaskGraph& graph;
  const std::vector<Task>& tasks;  // graph.tasks(): ids validated once, read unchecked
  IEngineObserver* observer;
  std::vector<TaskRecord> records;  // by TaskId
  std::vector<int32_t> preds_left;  // by TaskId: dependencies not yet ended
  // Successors by TaskId, flat: those of t are succs[succ_begin[t] .. succ_begin[t + 1]), in the order the graph's
  // edges were added (TaskGraph::successors' order).
  std::vector<int32_t> succ_begin;
  std::vector<TaskId> succs;
  std::vector<UnitRecord> units;     // by UnitId
  std::vector<UnitModule*> modules;  // by UnitId; null for a unit that serves no task (it gets no module)
  int32_t finished = 0;
  std::exception_ptr error;  // first exception thrown inside the simulation; stops it
};

// One unit: a ready queue (earliest ready first, ties by lower TaskId) served one task at a time. Clock-less: one
// SC_METHOD, woken by one event, either when its current task ends (timed notification of the service time) or
// one delta cycle after work arrived while it was idle, so every arrival at the same time is queued before it picks.
class UnitModule : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(UnitModule);
  UnitModule(sc_core::sc_module_name name, UnitId id, IUnitModel* model, RunState& run);

  // `task` became ready at `ready` (the current time, or 0 before the simulation starts).
  void enqueue(TaskId task, Ps ready);

 private:
  enum class State { kIdle, kDispatchPending, kBusy };
  struct Entry {
    Ps ready;
    TaskId id;
    bool operator>(const Entry& o) const { return ready != o.ready ? ready > o.ready : id > o.id; }
  };

  void on_event();
  void complete(Ps now);
  void dispatch(Ps now);

  UnitId m_id;
  IUnitModel* m_model;
  RunState& m_run;
  std::vector<Entry> m_queue;               // min-heap on (ready, id)
  State m_state = State::kDispatchPending;  // the method's initialization call is the first dispatch
  TaskId m_current = -1;
  sc_core::sc_event m_event;
};

}  // namespace rp::sim::detail
