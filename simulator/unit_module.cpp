#include "simulator/unit_module.h"

#include <algorithm>
#include <functional>
#include <string>

#include "simulator/error.h"

namespace rp::sim::detail {

RunState::RunState(const TaskGraph& g, IEngineObserver* obs, size_t num_units)
    : graph(g), observer(obs), records(g.size()), preds_left(g.size()), units(num_units), modules(num_units) {
  for (TaskId t = 0; t < g.size(); ++t) preds_left[t] = g.num_preds(t);
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
  if (m_run.observer) m_run.observer->on_task_end(id, m_run.graph.task(id), rec);
  for (TaskId s : m_run.graph.successors(id)) {
    if (--m_run.preds_left[s] == 0) {
      m_run.records[s].ready = now;
      m_run.modules[m_run.graph.task(s).unit]->enqueue(s, now);
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
  const Ps d = m_model->service(m_run.graph.task(id), now);
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
