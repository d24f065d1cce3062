#include "simulator/task_graph.h"

#include <string>

#include "simulator/error.h"

namespace rp::sim {

void TaskGraph::check_id(TaskId id, const char* what) const {
  if (id < 0 || id >= size()) {
    throw SimulationError(std::string("task graph: ") + what + " task id " + std::to_string(id) +
                          " does not exist (graph has " + std::to_string(size()) + " tasks)");
  }
}

TaskId TaskGraph::add(const Task& t, const std::vector<TaskId>& deps) {
  for (TaskId d : deps) check_id(d, "dependency on");
  const TaskId id = size();
  m_tasks.push_back(t);
  m_succs.emplace_back();
  m_num_preds.push_back(static_cast<int32_t>(deps.size()));
  for (TaskId d : deps) m_succs[d].push_back(id);
  return id;
}

void TaskGraph::depend(TaskId after, TaskId before) {
  check_id(after, "depend(): 'after'");
  check_id(before, "depend(): 'before'");
  if (before >= after) {
    throw SimulationError("task graph: depend(" + std::to_string(after) + ", " + std::to_string(before) +
                          ") needs before < after (edges must point forward to keep the graph acyclic)");
  }
  m_succs[before].push_back(after);
  ++m_num_preds[after];
}

const Task& TaskGraph::task(TaskId id) const {
  check_id(id, "task():");
  return m_tasks[id];
}

const std::vector<TaskId>& TaskGraph::successors(TaskId id) const {
  check_id(id, "successors():");
  return m_succs[id];
}

int32_t TaskGraph::num_preds(TaskId id) const {
  check_id(id, "num_preds():");
  return m_num_preds[id];
}

void TaskGraph::reserve(size_t n) {
  m_tasks.reserve(n);
  m_succs.reserve(n);
  m_num_preds.reserve(n);
}

void TaskGraph::clear() {
  m_tasks.clear();
  m_succs.clear();
  m_num_preds.clear();
}

}  // namespace rp::sim
