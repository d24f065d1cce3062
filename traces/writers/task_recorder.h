#pragma once
// Per-task records for traces, collected by an engine observer (accel::SimOptions::observer) rather than by the
// units or by simulate() itself: a simulation without a trace pays nothing, and the engine stays unaware of writers.
#include <cstdint>
#include <vector>

#include "simulator/engine.h"

namespace rp::traces {

struct TaskTrace {
  int32_t unit = 0;    // Task::unit: index into SimResult::instances
  int32_t layer = -1;  // Task::layer: index into SimResult::layers (-1: none)
  int32_t kind = 0;    // Task::kind code (accel::task_kind_names())
  sim::Ps ready = 0, start = 0, end = 0;
  int64_t bytes = 0;            // data moved (loads / stores)
  double ops = 0;               // vector work (elementwise ops)
  int64_t m = 0, k = 0, n = 0;  // GEMM dimensions (matrix unit)
};

class TaskRecorder : public sim::IEngineObserver {
 public:
  void on_task_end(sim::TaskId id, const sim::Task& task, const sim::TaskRecord& record) override;
  // Records indexed by TaskId (row i is task i), complete once the run has returned. One recorder per simulation.
  const std::vector<TaskTrace>& tasks() const { return m_tasks; }

 private:
  std::vector<TaskTrace> m_tasks;
};

}  // namespace rp::traces
