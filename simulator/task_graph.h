#pragma once
// The task graph the engine executes: coarse transactions (a weight-tile pass group, a DMA burst, a vector pass over
// a tile), each served by one unit, with dependencies between them. Acyclic by construction: a task may depend only
// on tasks that already exist, so TaskIds are a topological order.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace rp::sim {

using TaskId = int32_t;
using UnitId = int32_t;

// One transaction. Only `unit` means something to the engine; the rest is read by the unit's timing model
// (IUnitModel::service) or by whoever attributes results (layer, kind).
struct Task {
  UnitId unit = 0;     // the unit that serves it, an index into the units passed to run()
  int32_t layer = -1;  // attribution: layer / fusion-group index, -1 none (opaque to the engine)
  int32_t kind = 0;    // model-defined label (opaque to the engine)
  double ops = 0;      // work description, interpreted only by the unit's timing model
  int64_t bytes = 0;
  int64_t m = 0, k = 0, n = 0;
  int32_t aux = 0;
};

// One dependency edge: `after` starts only once `before` has ended (before < after).
struct Edge {
  TaskId before = 0, after = 0;
};

class TaskGraph {
 public:
  // Appends `t`, which becomes ready once every task in `deps` has ended. Returns its id (0, 1, 2, ...).
  // Throws rp::SimulationError if a dep does not exist yet; the graph is then unchanged.
  TaskId add(const Task& t, const std::vector<TaskId>& deps = {});

  // Extra edge: `after` starts only once `before` has ended. Requires 0 <= before < after < size() (this keeps the
  // graph acyclic); throws rp::SimulationError otherwise. A repeated edge is harmless (counted and released twice).
  void depend(TaskId after, TaskId before);

  int32_t size() const { return static_cast<int32_t>(m_tasks.size()); }
  // Accessors throw rp::SimulationError for an id out of range.
  const Task& task(TaskId id) const {
    check_id(id, "task():");
    return m_tasks[static_cast<size_t>(id)];
  }
  // The tasks that wait for `id`, in the order their edges were added (a repeated edge twice). Scans every edge:
  // for inspection; a consumer that walks the whole graph reads edges() once instead.
  std::vector<TaskId> successors(TaskId id) const;
  int32_t num_preds(TaskId id) const {
    check_id(id, "num_preds():");
    return m_num_preds[static_cast<size_t>(id)];
  }

  // The whole graph at once, for a consumer that walks all of it (the engine): the tasks and their dependency
  // counts indexed by TaskId, and every edge in the order added (add()'s in its deps' order, then depend()'s).
  // Ids in them are valid by construction.
  const std::vector<Task>& tasks() const { return m_tasks; }
  const std::vector<int32_t>& pred_counts() const { return m_num_preds; }
  const std::vector<Edge>& edges() const { return m_edges; }

  // Room for `tasks` tasks and `edges` edges without reallocating.
  void reserve(size_t tasks, size_t edges = 0);
  // Empties the graph; keeps its capacity (a graph rebuilt per run reuses its allocations).
  void clear();

 private:
  void check_id(TaskId id, const char* what) const {
    if (id < 0 || id >= size()) missing_id(id, what);
  }
  [[noreturn]] void missing_id(TaskId id, const char* what) const;

  std::vector<Task> m_tasks;
  std::vector<int32_t> m_num_preds;
  std::vector<Edge> m_edges;  // flat, in the order added: no allocation per task
};

}  // namespace rp::sim
