#pragma once
// The evaluation API for search (nas/, lacs/), sweeps and calibration: build an accelerator once from a typed
// config, derive variants by typed overrides, and evaluate many networks on it in process.
//
//   const accel::AcceleratorConfig base = accel::AcceleratorConfig::load("tpuv3");      // YAML read once, here
//   const accel::AcceleratorConfig big = base.with({{"hbm.bandwidth_gbps", 1200.0}});   // typed, no text parsing
//   const auto acc = big.build();                                                        // reusable, immutable
//   accel::Evaluation e = accel::evaluate([&] { return make_candidate(); }, *acc);
//   if (!e.ok) record_infeasible(e.reason); else use(e.result.latency_ms);
//
//   accel::Evaluator memo(acc);                       // searches and sweeps: memoized, bounded
//   const accel::Outcome& o = memo(space.canonical(arch), [&] { return make_candidate(arch); });
//
// Contract:
//  - AcceleratorConfig::load() and with() validate (config/accelerator_config.h); bad user input (unknown key,
//    value out of range, wrong type) throws UsageError naming the file or key and what was expected. A config
//    that loaded is always buildable.
//  - evaluate() never throws for an infeasible candidate: a network that cannot be built (bad shape: UsageError
//    from the network IR), does not fit the HBM capacity (memory_check.h: "needs 41.2 GiB of 16 GiB HBM: ...") or
//    cannot be mapped (a layer that does not fit on chip: SimulationError) comes back as {ok = false, reason}.
//    check() is the cheap feasibility pre-check that evaluate() runs first (the capacity and the lowering rules,
//    no simulation); evaluate() then simulates the lowering it made.
//  - Budgets (energy/energy_params.h): a config whose first-order area exceeds area.budget_mm2 is infeasible
//    before anything is simulated ("needs 812 mm^2 of a 600 mm^2 area budget (area.budget_mm2)"); a run whose
//    average power exceeds energy.power_budget_w is infeasible after it ("needs 310 W of a 250 W power budget
//    (energy.power_budget_w)"; its result is kept but ok = false). 0 (the default) sets no budget.
//  - Deterministic: the same network on the same accelerator gives the same result to the picosecond.
//  - Threads: SystemC's simulation context is process-global and not thread-safe, so two engine runs must never
//    overlap in one process. evaluate() without a memo runs the engine: never from two threads at once (hold one
//    process-wide mutex around it, or use separate processes). A GroupMemo (group_memo.h) is thread-safe: one
//    memo may serve several threads, and given the process's engine mutex it holds it only around an engine run,
//    so evaluations whose groups are all recorded run in parallel (Python's module does this). An Evaluator is
//    not thread-safe (its outcome cache is unguarded): one per thread, or one thread.
//  - Evaluator: the one memoized evaluator of every search and sweep (and of Python's in-process runs). It keeps an
//    Outcome (a few hundred bytes: no per-layer table) per key in a least-recently-used cache of at most `capacity`
//    entries, so memory stays flat however many candidates a search evaluates. The key is the caller's identity of
//    the network on this evaluator's accelerator (a canonical architecture text, a network key, a model name with
//    its batch): one Evaluator per accelerator and per whatever else the key leaves out. A candidate it has not
//    seen is simulated through its group memo (group_memo.h): groups seen before in any candidate are not
//    simulated again, and the result is the same as a full simulation's, field by field.
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "accel_models/config/accelerator_config.h"
#include "accel_models/group_memo.h"
#include "accel_models/simulate.h"
#include "simulator/sim_result.h"
#include "traces/network/network.h"

namespace rp::accel {

struct Feasibility {
  bool ok = true;
  std::string reason;  // empty when ok
};

struct Evaluation {
  bool ok = false;
  std::string reason;     // why the candidate is infeasible (empty when ok)
  sim::SimResult result;  // filled when ok
};

// The budgets (area.budget_mm2, energy.power_budget_w; 0: none): "" within them, else the reason ("needs 152 mm^2
// of a 100 mm^2 area budget (area.budget_mm2)"). The area is a property of the config (checked before simulating),
// the power of a run. evaluate(), the Evaluator and `ridgepoint simulate` apply both.
std::string over_area_budget(const AcceleratorInfo& info);
std::string over_power_budget(const AcceleratorInfo& info, const sim::SimResult& result);
// simulate() (simulate.h) within the budgets: SimulationError with the reason over either, as for the capacity.
// What `ridgepoint simulate` and `compare` (and Python's) run.
sim::SimResult simulate_within_budgets(const traces::Network& net, const IAccelerator& acc,
                                       const SimOptions& options = {});

// Cheap pre-check: the HBM capacity, the area budget, then the lowering's capacity rules, without running the task
// graph.
Feasibility check(const traces::Network& net, const IAccelerator& acc);

Evaluation evaluate(const traces::Network& net, const IAccelerator& acc);
// The same evaluation through a group memo (group_memo.h): the same result, field by field; `memo` belongs to `acc`.
Evaluation evaluate(const traces::Network& net, const IAccelerator& acc, GroupMemo& memo);
// The same through a group memo, with SimResult::layers left empty when `layers` is false (every other field the
// same): what an Outcome (below) is made from.
Evaluation evaluate_figures(const traces::Network& net, const IAccelerator& acc, GroupMemo& memo, bool layers);
// Builds the candidate network first; a UsageError from building it is an infeasible result too.
Evaluation evaluate(const std::function<traces::Network()>& make_network, const IAccelerator& acc);

// What a memoized evaluation keeps: feasibility, the network-level figures and each unit kind's busy fraction.
struct Outcome {
  bool ok = false;
  std::string reason;                                // why infeasible (empty when ok)
  double latency_ms = 0;                             // 0 when infeasible
  std::vector<double> figures;                       // sim::result_fields(), in order (empty when infeasible)
  std::vector<std::pair<std::string, double>> busy;  // unit kind (or datapath) -> busy fraction
  int64_t macs = 0, params = 0;                      // of the network as built (every image of the batch); 0 when
                                                     // it could not be built
};

// A zoo model or network file (traces::build_model) at `batch` and `resolution` (0: the model's own), in the
// accelerator's precision: the one helper for the reference networks searches and sweeps report beside their own.
class Evaluator;
const Outcome& evaluate_model(Evaluator& evaluator, const std::string& model, int64_t batch, int resolution = 0);

// The Outcome of one evaluation (no memo): evaluate() summarized.
Outcome outcome_of(const std::function<traces::Network()>& make_network, const IAccelerator& acc,
                   GroupMemo* memo = nullptr);

class Evaluator {
 public:
  // 10,000 outcomes are a few MB and more than a search revisits (NAS rounds, LACS grids, HURRICANE generations).
  static constexpr size_t kDefaultCapacity = 10000;

  // `group_memo`: the fast path (group_memo.h: exact, bounded to GroupMemo::kDefaultCapacity group records) on;
  // off only to measure the path without it (benchmarks, tests).
  explicit Evaluator(std::shared_ptr<const IAccelerator> acc, size_t capacity = kDefaultCapacity,
                     bool group_memo = true);

  // The outcome of the network `make` builds, memoized by `key`. The reference stays valid until the next call.
  const Outcome& operator()(const std::string& key, const std::function<traces::Network()>& make);

  const IAccelerator& accelerator() const { return *acc_; }
  int64_t simulations() const { return misses_; }  // evaluations actually run
  int64_t hits() const { return hits_; }
  size_t size() const { return order_.size(); }  // outcomes held, at most capacity()
  size_t capacity() const { return capacity_; }
  // The fast path's memo (its hit counts), or null when it is off.
  const GroupMemo* group_memo() const { return groups_.get(); }

 private:
  using Entry = std::pair<std::string, Outcome>;
  std::shared_ptr<const IAccelerator> acc_;
  size_t capacity_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  int64_t hits_ = 0, misses_ = 0;
  std::unique_ptr<GroupMemo> groups_;
};

}  // namespace rp::accel
