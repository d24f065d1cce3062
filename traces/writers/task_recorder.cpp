#include "traces/writers/task_recorder.h"

namespace rp::traces {

void TaskRecorder::on_task_end(sim::TaskId id, const sim::Task& task, const sim::TaskRecord& record) {
  const auto i = static_cast<size_t>(id);
  if (i >= m_tasks.size()) m_tasks.resize(i + 1);
  m_tasks[i] = {task.unit,  task.layer, task.kind, record.ready, record.start, record.end,
                task.bytes, task.ops,   task.m,    task.k,       task.n};
}

}  // namespace rp::traces
