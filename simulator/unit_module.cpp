#include "simulator/unit_module.h"

#include <algorithm>
#include <functional>
#include <string>

#include "simulator/error.h"

namespace rp::sim::detail {

RunState::RunState(const TaskGraph& g, IEngineObserver* obs, size_t num_units)
    : graph(g),
      tasks(g.tasks()),
      observer(obs),
      records(g.size()),
      preds_left(g.pred_counts()),
      succ_begin(static_cast<size_t>(g.size()) + 1, 0),
      succs(g.edges().size()),
      units(num_units),
      modules(num_units) {
  // A stable counting sort of the edges by `before`: each task's successors stay in the order added.
  for (const Edge& e : g.edges()) ++succ_begin[static_cast<size_t>(e.before) + 1];
  for (size_t t = 1; t < succ_begin.size(); ++t) succ_begin[t] += succ_begin[t - 1];
  std::vector<int32_t> next(succ_begin.begin(), succ_begin.end() - 1);
  for (const Edge& e : g.edges()) succs[static_cast<size_t>(next[static_cast<size_t>(e.before)]++)] = e.after;
}

UnitModule::UnitModule(sc_core::sc_module_name name, UnitId id, IUnitModel* model, RunState& run)
    : sc_module(name), m_id(id), m_model(model), m_run(run) {
  SC_METHOD(on_event);
  sensitive << m_event;
}

void UnitModule::enqueue(TaskId task, Ps ready) {
  m_queue.push_back({ready, task});
  std::push_heap(m_queue.begin(), m_queue.end(), std::greater<Entry>());
  if (m_state == State::kIdle) {
    m_state = State::kDispatchPending;
    m_event.notify(sc_core::SC_ZERO_TIME);
  }
}

void UnitModule::on_event() {
  if (m_run.error) return;  // stopping: the first exception wins
  try {
    const Ps now = static_cast<Ps>(sc_core::sc_time_stamp().value());
    if (m_state == State::kBusy) {
      complete(now);
    } else if (m_state == State::kDispatchPending) {
      dispatch(now);
    }
  } catch (...) {
    m_run.error = std::current_exception();
    sc_core::sc_stop();
  }
}

void UnitModule::complete(Ps now) {
  const TaskId id = m_current;
  TaskRecord& rec = m_run.records[id];
  rec.end = now;
  m_run.units[m_id].busy += rec.end - rec.start;
  ++m_run.finished;
  m_current = -1;
  // Still kBusy while releasing successors, so our own enqueue() does not notify; we decide below.
  if (m_run.observer) m_run.observer->on_task_end(id, m_run.tasks[static_cast<size_t>(id)], rec);
  const auto first = static_cast<size_t>(m_run.succ_begin[static_cast<size_t>(id)]);
  const auto last = static_cast<size_t>(m_run.succ_begin[static_cast<size_t>(id) + 1]);
  for (size_t k = first; k < last; ++k) {
    const auto s = static_cast<size_t>(m_run.succs[k]);
    if (--m_run.preds_left[s] == 0) {
      m_run.records[s].ready = now;
      m_run.modules[static_cast<size_t>(m_run.tasks[s].unit)]->enqueue(static_cast<TaskId>(s), now);
    }
  }
  if (m_queue.empty()) {
    m_state = State::kIdle;
  } else if (m_queue.front().ready < now) {
    dispatch(now);  // anything still to arrive at `now` is ready at `now`, so it cannot outrank the head
  } else {
    m_state = State::kDispatchPending;  // arrivals at `now` may still come this delta: pick next delta
    m_event.notify(sc_core::SC_ZERO_TIME);
  }
}

void UnitModule::dispatch(Ps now) {
  if (m_queue.empty()) {
    m_state = State::kIdle;
    return;
  }
  std::pop_heap(m_queue.begin(), m_queue.end(), std::greater<Entry>());
  const TaskId id = m_queue.back().id;
  m_queue.pop_back();

  TaskRecord& rec = m_run.records[id];
  rec.start = now;
  UnitRecord& unit = m_run.units[m_id];
  unit.wait += now - rec.ready;
  ++unit.tasks;
  const Ps d = m_model->service(m_run.tasks[static_cast<size_t>(id)], now);
  if (d < 0) {
    throw SimulationError("unit '" + m_model->name() + "' returned a negative service time (" + std::to_string(d) +
                          " ps) for task " + std::to_string(id));
  }
  if (d > kMaxPs - now) {
    throw SimulationError("unit '" + m_model->name() + "': task " + std::to_string(id) + " would end past " +
                          "2^62 ps (53 days) of simulated time; is a clock, bandwidth or rate far too small?");
  }
  m_current = id;
  m_state = State::kBusy;
  m_event.notify(sc_core::sc_time::from_value(static_cast<sc_core::sc_time::value_type>(d)));
}

}  // namespace rp::sim::detail
