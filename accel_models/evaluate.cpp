#include "accel_models/evaluate.h"

#include <cmath>

#include "accel_models/config/param.h"

#include "accel_models/memory_check.h"
#include "accel_models/simulate.h"
#include "simulator/error.h"
#include "simulator/result_schema.h"
#include "traces/zoo/zoo.h"

namespace rp::accel {

std::string over_area_budget(const AcceleratorInfo& info) {
  if (info.area_budget_mm2 <= 0 || info.area.total_mm2 <= info.area_budget_mm2) return {};
  return "needs " + format_number(std::round(info.area.total_mm2)) + " mm^2 of a " +
         format_number(info.area_budget_mm2) + " mm^2 area budget (area.budget_mm2)";
}

std::string over_power_budget(const AcceleratorInfo& info, const sim::SimResult& r) {
  if (info.energy.power_budget_w <= 0 || r.average_power_w <= info.energy.power_budget_w) return {};
  return "needs " + format_number(std::round(r.average_power_w)) + " W of a " +
         format_number(info.energy.power_budget_w) + " W power budget (energy.power_budget_w)";
}

sim::SimResult simulate_within_budgets(const traces::Network& net, const IAccelerator& acc, const SimOptions& options) {
  if (const std::string over = over_area_budget(acc.info()); !over.empty()) throw SimulationError(over);
  sim::SimResult r = simulate(net, acc, options);
  if (const std::string over = over_power_budget(acc.info(), r); !over.empty()) throw SimulationError(over);
  return r;
}

Feasibility check(const traces::Network& net, const IAccelerator& acc) {
  const MemoryCheck memory = check_memory(net, acc.info());
  if (!memory.fits) return {false, memory.reason};
  if (const std::string over = over_area_budget(acc.info()); !over.empty()) return {false, over};
  try {
    acc.lower(net);
  } catch (const SimulationError& e) {
    return {false, e.what()};
  }
  return {};
}

Evaluation evaluate(const traces::Network& net, const IAccelerator& acc) {
  Evaluation e;
  const MemoryCheck memory = check_memory(net, acc.info());
  if (!memory.fits) {
    e.reason = memory.reason;  // over capacity: infeasible, never a latency
    return e;
  }
  e.reason = over_area_budget(acc.info());
  if (!e.reason.empty()) return e;
  Lowered low;
  try {
    low = acc.lower(net);  // the feasibility check
  } catch (const SimulationError& err) {
    e.reason = err.what();
    return e;
  }
  try {
    e.result = simulate_lowered(std::move(low), net, acc.info());
    e.reason = over_power_budget(acc.info(), e.result);
    e.ok = e.reason.empty();
  } catch (const SimulationError& err) {
    e.reason = err.what();
  }
  return e;
}

Evaluation evaluate(const traces::Network& net, const IAccelerator& acc, GroupMemo& memo) {
  return evaluate_figures(net, acc, memo, true);
}

Evaluation evaluate_figures(const traces::Network& net, const IAccelerator& acc, GroupMemo& memo, bool layers) {
  Evaluation e;
  const MemoryCheck memory = check_memory(net, acc.info());
  if (!memory.fits) {
    e.reason = memory.reason;  // over capacity: infeasible, never a latency
    return e;
  }
  e.reason = over_area_budget(acc.info());  // the budgets as evaluate() above applies them
  if (!e.reason.empty()) return e;
  try {
    e.result = memo.simulate(net, acc, layers);  // lowering errors first, as evaluate() above
    e.reason = over_power_budget(acc.info(), e.result);
    e.ok = e.reason.empty();
  } catch (const SimulationError& err) {
    e.reason = err.what();
  }
  return e;
}

namespace {

Evaluation evaluate_made(const std::function<traces::Network()>& make_network, const IAccelerator& acc, GroupMemo* memo,
                         bool layers) {
  try {
    const traces::Network net = make_network();
    return memo ? evaluate_figures(net, acc, *memo, layers) : evaluate(net, acc);
  } catch (const UsageError& err) {
    Evaluation e;
    e.reason = std::string("bad network: ") + err.what();
    return e;
  }
}

}  // namespace

Evaluation evaluate(const std::function<traces::Network()>& make_network, const IAccelerator& acc) {
  return evaluate_made(make_network, acc, nullptr, true);
}

Outcome outcome_of(const std::function<traces::Network()>& make_network, const IAccelerator& acc, GroupMemo* memo) {
  Outcome o;
  const Evaluation e = evaluate_made(
      [&] {
        traces::Network n = make_network();
        o.macs = n.macs();
        o.params = n.params();
        return n;
      },
      acc, memo, false);  // an Outcome keeps no per-layer table
  o.ok = e.ok;
  o.reason = e.reason;
  if (!e.ok) return o;
  o.latency_ms = e.result.latency_ms;
  const auto& fields = sim::result_fields();
  o.figures.reserve(fields.size());
  for (const auto& f : fields) o.figures.push_back(f.get(e.result));
  o.busy.reserve(e.result.units.size());
  for (const auto& u : e.result.units) o.busy.emplace_back(u.name, u.busy_fraction);
  return o;
}

const Outcome& evaluate_model(Evaluator& evaluator, const std::string& model, int64_t batch, int resolution) {
  traces::BuildOptions o;
  o.batch = batch;
  o.resolution = resolution;
  o.dtype = evaluator.accelerator().info().precision;
  const std::string key = model + "@" + std::to_string(batch) + ":" + std::to_string(resolution);
  return evaluator(key, [&] { return traces::build_model(model, o); });
}

Evaluator::Evaluator(std::shared_ptr<const IAccelerator> acc, size_t capacity, bool group_memo)
    : acc_(std::move(acc)),
      capacity_(capacity < 1 ? 1 : capacity),
      groups_(group_memo ? std::make_unique<GroupMemo>() : nullptr) {}

const Outcome& Evaluator::operator()(const std::string& key, const std::function<traces::Network()>& make) {
  const auto it = index_.find(key);
  if (it != index_.end()) {
    ++hits_;
    order_.splice(order_.begin(), order_, it->second);  // now the most recently used
    return it->second->second;
  }
  ++misses_;
  Outcome o = outcome_of(make, *acc_, groups_.get());
  if (order_.size() >= capacity_) {  // the least recently used goes
    index_.erase(order_.back().first);
    order_.pop_back();
  }
  order_.emplace_front(key, std::move(o));
  index_[key] = order_.begin();
  return order_.front().second;
}

}  // namespace rp::accel
