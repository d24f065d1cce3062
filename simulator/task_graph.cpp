#include "simulator/task_graph.h"

#include <string>

#include "simulator/error.h"

namespace rp::sim {

void TaskGraph::missing_id(TaskId id, const char* what) const {
  throw SimulationError(std::string("task graph: ") + what + " task id " + std::to_string(id) +
                        " does not exist (graph has " + std::to_string(size()) + " tasks)");
}

TaskId TaskGraph::add(const Task& t, const std::vector<TaskId>& deps) {
  for (TaskId d : deps) check_id(d, "dependency on");
  const TaskId id = size();
  m_tasks.push_back(t);
  m_num_preds.push_back(static_cast<int32_t>(deps.size()));
  for (TaskId d : deps) m_edges.push_back({d, id});
  return id;
}

void TaskGraph::depend(TaskId after, TaskId before) {
  check_id(after, "depend(): 'after'");
  check_id(before, "depend(): 'before'");
  if (before >= after) {
    throw SimulationError("task graph: depend(" + std::to_string(after) + ", " + std::to_string(before) +
                          ") needs before < after (edges must point forward to keep the graph acyclic)");
  }
  m_edges.push_back({before, after});
  ++m_num_preds[static_cast<size_t>(after)];
}

std::vector<TaskId> TaskGraph::successors(TaskId id) const {
  check_id(id, "successors():");
  std::vector<TaskId> out;
  for (const Edge& e : m_edges) {
    if (e.before == id) out.push_back(e.after);
  }
  return out;
}

void TaskGraph::reserve(size_t tasks, size_t edges) {
  m_tasks.reserve(tasks);
  m_num_preds.reserve(tasks);
  m_edges.reserve(edges);
}

void TaskGraph::clear() {
  m_tasks.clear();
  m_num_preds.clear();
  m_edges.clear();
}

}  // namespace rp::sim
