#include "simulator/engine.h"

#include <algorithm>
#include <memory>
#include <string>

#include "simulator/error.h"
#include "simulator/sc_context.h"
#include "simulator/unit_module.h"

namespace rp::sim {
namespace {

// Checks the units and the graph; returns which units serve at least one task.
std::vector<bool> validate(const TaskGraph& g, const std::vector<IUnitModel*>& units) {
  for (size_t u = 0; u < units.size(); ++u) {
    if (!units[u]) throw SimulationError("engine: unit " + std::to_string(u) + " has no timing model (null)");
  }
  const auto n = static_cast<UnitId>(units.size());
  std::vector<bool> active(units.size(), false);
  int64_t active_units = 0;
  for (TaskId t = 0; t < g.size(); ++t) {
    const UnitId u = g.tasks()[static_cast<size_t>(t)].unit;
    if (u < 0 || u >= n) {
      throw SimulationError("engine: task " + std::to_string(t) + " names unit " + std::to_string(u) + " but only " +
                            std::to_string(n) + " units were given");
    }
    if (!active[static_cast<size_t>(u)]) ++active_units;
    active[static_cast<size_t>(u)] = true;
  }
  check_size(g.size(), active_units);
  return active;
}

// Elaborates one module per active unit in a fresh context, queues the tasks without dependencies and simulates
// until no event is left. Modules are destroyed before the context, also when something throws.
void simulate(detail::RunState& run, const std::vector<IUnitModel*>& units, const std::vector<bool>& active) {
  detail::ScopedSimContext context;
  std::vector<std::unique_ptr<detail::UnitModule>> modules;
  for (size_t u = 0; u < units.size(); ++u) {
    if (!active[u]) continue;  // never runs: no module, no process (engine.h)
    const std::string name = "unit_" + std::to_string(u);
    modules.push_back(std::make_unique<detail::UnitModule>(name.c_str(), static_cast<UnitId>(u), units[u], run));
    run.modules[u] = modules.back().get();
  }
  for (TaskId t = 0; t < run.graph.size(); ++t) {
    if (run.preds_left[t] == 0) run.modules[run.tasks[static_cast<size_t>(t)].unit]->enqueue(t, 0);
  }
  try {
    sc_core::sc_start();
  } catch (const sc_core::sc_report& r) {
    throw SimulationError(std::string("engine: SystemC error: ") + r.what());
  }
}

}  // namespace

void check_size(int64_t tasks, int64_t active_units) {
  if (tasks > kMaxTasks) {
    throw SimulationError("needs " + std::to_string(tasks) + " tasks, more than the limit of " +
                          std::to_string(kMaxTasks) + " per simulation: use fewer cores or tiles " +
                          "(stack.lowering.max_tiles)");
  }
  if (active_units > kMaxActiveUnits) {
    throw SimulationError("needs " + std::to_string(active_units) + " units serving tasks, more than the limit of " +
                          std::to_string(kMaxActiveUnits) + " per simulation: use fewer cores, DMA engines or " +
                          "tiles (stack.lowering.max_tiles)");
  }
}

EngineResult run(const TaskGraph& g, const std::vector<IUnitModel*>& units, IEngineObserver* observer) {
  const std::vector<bool> active = validate(g, units);
  for (IUnitModel* u : units) u->reset();

  detail::RunState state(g, observer, units.size());
  for (size_t u = 0; u < units.size(); ++u) state.units[u].name = units[u]->name();
  if (g.size() > 0) simulate(state, units, active);
  if (state.error) std::rethrow_exception(state.error);
  if (state.finished != g.size()) {
    throw SimulationError("engine: simulation ended with " + std::to_string(g.size() - state.finished) + " of " +
                          std::to_string(g.size()) + " tasks unfinished");
  }

  EngineResult result;
  for (const TaskRecord& r : state.records) result.makespan = std::max(result.makespan, r.end);
  result.tasks = std::move(state.records);
  result.units = std::move(state.units);
  return result;
}

}  // namespace rp::sim
