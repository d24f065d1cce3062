#include "accel_models/group_memo.h"

#include <algorithm>
#include <limits>

#include "accel_models/lowering/skeleton.h"
#include "accel_models/run_figures.h"
#include "accel_models/simulate.h"
#include "simulator/engine.h"
#include "simulator/stats.h"

namespace rp::accel {

struct GroupMemo::Record {
  struct UnitTotals {
    size_t unit = 0;  // index among the core's units
    sim::Ps busy = 0, wait = 0;
    int64_t tasks = 0;
  };
  struct MemoryTotals {
    sim::Ps busy = 0, wait = 0;
    int64_t transfers = 0;
  };
  sim::Ps duration = 0;  // from the dispatch's start to the last task's end
  int64_t tasks = 0;
  double bytes = 0;                    // HBM bytes of its loads and stores
  double transfer_bytes = 0;           // bytes of its loads, stores and L2 loads (RunFigures)
  std::vector<UnitTotals> units;       // the core's units that served its tasks
  std::vector<MemoryTotals> memories;  // per memory of the core
  // Per counter of the core, its increments in simulation order, the counters' back to back (one allocation):
  // counter c's are increments[ends[c - 1] .. ends[c]), ends[-1] = 0.
  std::vector<double> increments;
  std::vector<size_t> increment_ends;
};

// The units of one accelerator with `cores` cores lowered, made once and reused by every full run (the engine
// resets them), with their counters registered once and recording into `logs`.
struct GroupMemo::Layout {
  size_t cores = 0;
  Lowered low;  // units and memories; the graph is rebuilt per run
  std::vector<CoreSlot> slots;
  std::vector<sim::StatGroup> stats;             // per unit
  std::vector<size_t> unit_core;                 // per unit: its slot
  std::vector<size_t> first_counter;             // per slot: its first counter; counters of a slot are contiguous
  std::vector<size_t> counter_unit;              // per counter: its unit
  std::vector<std::vector<double>> logs;         // per counter: the increments of the current run
  std::vector<std::vector<StatRow>> rows;        // per unit: its stat rows (values filled per network)
  std::vector<std::vector<size_t>> row_counter;  // per unit and row: its counter
  bool replayable = true;                        // every stat a sim::Counter
};

// What one simulate() in progress uses alone: the layouts of one accelerator and the current network's keys.
struct GroupMemo::Workspace {
  const IAccelerator* acc = nullptr;  // the accelerator the layouts are of
  std::vector<std::unique_ptr<Layout>> layouts;
  std::string keys;              // the current network's keys back to back
  std::vector<size_t> key_ends;  // where each ends

  Layout& layout(const IAccelerator& acc, size_t cores);
  std::string_view key(size_t i) const {  // the i-th key
    const size_t begin = i == 0 ? 0 : key_ends[i - 1];
    return std::string_view(keys).substr(begin, key_ends[i] - begin);
  }
};

namespace {

// Each launched group of a core waits for the previous launched one (the memo's condition, group_memo.h).
bool chained(const LoweringPlan& plan) {
  if (plan.sk.stream_order) return true;
  const size_t n = plan.groups.size();
  // The launched groups a group's consumers wait for: a launched group itself (not stored), a view its deps'.
  std::vector<std::vector<int>> view_reach(n);
  const auto reaches = [&](int d, int target) {
    const auto i = static_cast<size_t>(d);
    if (plan.launches[i]) return d == target;
    return std::find(view_reach[i].begin(), view_reach[i].end(), target) != view_reach[i].end();
  };
  int previous = -1;
  for (size_t g = 0; g < n; ++g) {
    const std::vector<int>& deps = plan.groups[g].deps;
    if (!plan.launches[g]) {
      for (int d : deps) {
        const auto i = static_cast<size_t>(d);
        if (plan.launches[i]) {
          view_reach[g].push_back(d);
        } else {
          view_reach[g].insert(view_reach[g].end(), view_reach[i].begin(), view_reach[i].end());
        }
      }
      continue;
    }
    if (previous >= 0 && std::none_of(deps.begin(), deps.end(), [&](int d) { return reaches(d, previous); }))
      return false;
    previous = static_cast<int>(g);
  }
  return true;
}

// Snapshots, at the end of each dispatch, of its core's memory totals and counter logs: the boundary between the
// group before and the group dispatched (whose transfers and counted work start only after its dispatch).
class Boundaries : public sim::IEngineObserver {
 public:
  // A snapshot's values lie in the flat lists below (two lists for every snapshot, not two per snapshot).
  struct Snap {
    int32_t group = -1;
    size_t first_memory = 0, memories = 0;  // its memory totals: memory_values[first_memory ..][.. memories)
    size_t first_log = 0, logs = 0;         // its counters' log sizes: log_sizes[first_log ..][.. logs)
  };
  explicit Boundaries(const GroupMemo::Layout& layout) : snaps(layout.slots.size()), layout_(layout) {}

  void on_task_end(sim::TaskId, const sim::Task& task, const sim::TaskRecord&) override {
    if (task.kind != kDispatch) return;
    const size_t core = layout_.unit_core[static_cast<size_t>(task.unit)];
    snaps[core].push_back(snap(core, task.layer));
  }

  Snap snap(size_t core, int32_t group) {
    const CoreSlot& s = layout_.slots[core];
    Snap sn;
    sn.group = group;
    const size_t end = core + 1 < layout_.first_counter.size() ? layout_.first_counter[core + 1] : layout_.logs.size();
    sn.first_memory = memory_values.size();
    sn.memories = s.end_memory - s.first_memory;
    for (size_t m = s.first_memory; m < s.end_memory; ++m) {
      const HbmModel& h = *layout_.low.memories[m];
      memory_values.push_back({h.channel_busy(), h.wait(), h.transfers()});
    }
    sn.first_log = log_sizes.size();
    sn.logs = end - layout_.first_counter[core];
    for (size_t c = layout_.first_counter[core]; c < end; ++c) log_sizes.push_back(layout_.logs[c].size());
    return sn;
  }
  const GroupMemo::Record::MemoryTotals& memory(const Snap& sn, size_t m) const {
    return memory_values[sn.first_memory + m];
  }
  size_t log_size(const Snap& sn, size_t c) const { return log_sizes[sn.first_log + c]; }

  std::vector<std::vector<Snap>> snaps;  // per core, in dispatch order
  std::vector<GroupMemo::Record::MemoryTotals> memory_values;
  std::vector<size_t> log_sizes;

 private:
  const GroupMemo::Layout& layout_;
};

// Lends a layout's stat rows to a RunFigures for its lifetime and takes them back (also when assemble() throws).
class LentRows {
 public:
  LentRows(std::vector<std::vector<StatRow>>& to, std::vector<std::vector<StatRow>>& from) : to_(to), from_(from) {
    to_.swap(from_);
  }
  ~LentRows() { to_.swap(from_); }
  LentRows(const LentRows&) = delete;
  LentRows& operator=(const LentRows&) = delete;

 private:
  std::vector<std::vector<StatRow>>& to_;
  std::vector<std::vector<StatRow>>& from_;
};

std::vector<size_t> launched_groups(const LoweringPlan& plan) {
  std::vector<size_t> out;
  for (size_t g = 0; g < plan.launches.size(); ++g) {
    if (plan.launches[g]) out.push_back(g);
  }
  return out;
}

}  // namespace

GroupMemo::GroupMemo(size_t capacity, std::mutex* engine) : capacity_(capacity < 1 ? 1 : capacity), engine_(engine) {}
GroupMemo::~GroupMemo() = default;

GroupMemo::Counts GroupMemo::counts() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return counts_;
}

size_t GroupMemo::size() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return order_.size();
}

void GroupMemo::count(int64_t Counts::*field) {
  const std::lock_guard<std::mutex> lock(mutex_);
  ++(counts_.*field);
}

bool GroupMemo::find_all(const IAccelerator& acc, const Workspace& ws, Found& found) {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (acc_ != &acc) {  // records are of one accelerator
    order_.clear();
    index_.clear();
    acc_ = &acc;
  }
  bool all = true;
  found.reserve(ws.key_ends.size());
  for (size_t x = 0; x < ws.key_ends.size(); ++x) {
    const auto it = index_.find(ws.key(x));
    if (it == index_.end()) {
      ++counts_.group_misses;
      all = false;
      found.emplace_back();
      continue;
    }
    ++counts_.group_hits;
    order_.splice(order_.begin(), order_, it->second);
    found.push_back(it->second->second);
  }
  return all;
}

void GroupMemo::insert_all(const IAccelerator& acc, const Workspace& ws,
                           std::vector<std::shared_ptr<const Record>> made) {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (acc_ != &acc) return;  // another call moved the memo to another accelerator meanwhile
  for (size_t x = 0; x < made.size(); ++x) insert(ws.key(x), std::move(made[x]));
}

std::unique_ptr<GroupMemo::Workspace> GroupMemo::take_workspace(const IAccelerator& acc) {
  std::unique_ptr<Workspace> ws;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      ws = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!ws) ws = std::make_unique<Workspace>();
  if (ws->acc != &acc) {  // layouts are of one accelerator
    ws->layouts.clear();
    ws->acc = &acc;
  }
  return ws;
}

void GroupMemo::give_back(std::unique_ptr<Workspace> ws) {
  const std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(ws));
}

void GroupMemo::insert(std::string_view key, std::shared_ptr<const Record> record) {
  const auto it = index_.find(key);
  if (it != index_.end()) {
    order_.splice(order_.begin(), order_, it->second);
    return;
  }
  if (order_.size() >= capacity_) {  // the least recently used goes (its view first, then the key it views)
    index_.erase(std::string_view(order_.back().first));
    order_.pop_back();
  }
  order_.emplace_front(std::string(key), std::move(record));
  index_.emplace(std::string_view(order_.front().first), order_.begin());
}

GroupMemo::Layout& GroupMemo::Workspace::layout(const IAccelerator& acc, size_t cores) {
  for (auto& l : layouts) {
    if (l->cores == cores) return *l;
  }
  auto l = std::make_unique<Layout>();
  l->cores = cores;
  LoweringPlan shares;  // only the cores' shares matter to add_units
  for (size_t c = 0; c < cores; ++c) shares.shares.push_back({static_cast<int>(c), 1, 1.0});
  l->slots = add_units(shares, *acc.rules(), l->low);
  l->stats = std::vector<sim::StatGroup>(l->low.units.size());
  l->unit_core.resize(l->low.units.size());
  l->rows.resize(l->low.units.size());
  l->row_counter.resize(l->low.units.size());
  for (size_t s = 0; s < l->slots.size(); ++s) {
    l->first_counter.push_back(l->counter_unit.size());
    for (size_t u = l->slots[s].first_unit; u < l->slots[s].end_unit; ++u) {
      l->unit_core[u] = s;
      l->low.units[u].model->register_stats(l->stats[u]);
      l->stats[u].counters([&](sim::Counter* c) {
        if (!c) {
          l->replayable = false;
          return;
        }
        l->row_counter[u].push_back(l->counter_unit.size());
        l->counter_unit.push_back(u);
      });
      l->stats[u].visit([&](const std::string& path, const std::string& d, const std::string& unit, double) {
        l->rows[u].push_back({path, d, unit, 0});
      });
    }
  }
  l->logs.resize(l->counter_unit.size());
  for (size_t u = 0; u < l->low.units.size(); ++u) {
    size_t k = 0;
    l->stats[u].counters([&](sim::Counter* c) {
      if (c) c->record(&l->logs[l->row_counter[u][k++]]);
    });
  }
  layouts.push_back(std::move(l));
  return *layouts.back();
}

sim::SimResult GroupMemo::simulate(const traces::Network& net, const IAccelerator& acc, bool layers) {
  if (!acc.rules()) {
    Lowered low = acc.lower(net);
    std::unique_lock<std::mutex> engine;
    if (engine_) engine = std::unique_lock<std::mutex>(*engine_);
    sim::SimResult r = simulate_lowered(std::move(low), net, acc.info());
    engine = {};
    if (!layers) r.layers.clear();
    return r;
  }
  // The workspace goes back for the next call however this one ends.
  struct Lent {
    GroupMemo& memo;
    std::unique_ptr<Workspace> ws;
    ~Lent() { memo.give_back(std::move(ws)); }
  } lent{*this, take_workspace(acc)};
  return simulate_in(*lent.ws, net, acc, layers);
}

sim::SimResult GroupMemo::simulate_in(Workspace& ws, const traces::Network& net, const IAccelerator& acc, bool layers) {
  LoweringPlan plan = plan_lowering(net, *acc.rules(), layers);
  Layout& lay = ws.layout(acc, plan.shares.size());
  const std::vector<size_t> launched = launched_groups(plan);
  // Each core's slot was made with a unit share; the plan's shares are the network's (set on every call).
  std::vector<CoreSlot>& slots = lay.slots;
  for (size_t s = 0; s < slots.size(); ++s) slots[s].share = plan.shares[s];

  // Weight prefetch lets a group start before the previous one ends: groups overlap, the sums above are not exact.
  bool memoizable = lay.replayable && chained(plan) && !plan.sk.weight_prefetch;
  // Keys per core and launched group, back to back in ws.keys (ws.key(i) is the i-th).
  ws.keys.clear();
  ws.key_ends.clear();
  Found records;
  if (memoizable) {
    for (const CoreSlot& s : slots) {
      for (size_t g : launched) {
        const size_t before = ws.keys.size();
        plan.planner->key(g, s.share, ws.keys);
        if (ws.keys.size() == before) memoizable = false;
        ws.key_ends.push_back(ws.keys.size());
      }
    }
  }
  const bool all_found = memoizable && find_all(acc, ws, records);

  if (all_found) {
    // Assembled from the records: each core's groups back to back (group_memo.h).
    RunFigures f;
    const size_t ng = plan.groups.size();
    f.group_start.assign(ng, std::numeric_limits<sim::Ps>::max());
    f.group_end.assign(ng, 0);
    f.group_bytes.assign(ng, 0);
    f.units.resize(lay.low.units.size());
    for (size_t u = 0; u < f.units.size(); ++u) f.units[u].name = lay.low.units[u].model->name();
    std::vector<double> counters(lay.counter_unit.size(), 0.0);
    std::vector<bool> active(lay.low.units.size(), false);
    int64_t active_units = 0;
    bool fits = true;
    for (size_t s = 0; s < slots.size(); ++s) {
      const CoreSlot& slot = slots[s];
      std::vector<Record::MemoryTotals> mem(slot.end_memory - slot.first_memory);
      sim::Ps t = 0;
      for (size_t i = 0; i < launched.size(); ++i) {
        const Record& r = *records[s * launched.size() + i];
        const size_t g = launched[i];
        f.group_start[g] = std::min(f.group_start[g], t);
        if (r.duration > sim::kMaxPs - t) fits = false;
        t = fits ? t + r.duration : t;
        f.group_end[g] = std::max(f.group_end[g], t);
        f.group_bytes[g] += r.bytes;
        f.transfer_bytes += r.transfer_bytes;
        f.tasks += r.tasks;
        for (const auto& ut : r.units) {
          const size_t u = slot.first_unit + ut.unit;
          f.units[u].busy += ut.busy;
          f.units[u].wait += ut.wait;
          f.units[u].tasks += ut.tasks;
          if (ut.tasks > 0 && !active[u]) {
            active[u] = true;
            ++active_units;
          }
        }
        for (size_t m = 0; m < mem.size(); ++m) {
          constexpr sim::Ps kMax = std::numeric_limits<sim::Ps>::max();  // as HbmModel, saturating
          mem[m].busy = r.memories[m].busy > kMax - mem[m].busy ? kMax : mem[m].busy + r.memories[m].busy;
          mem[m].wait = r.memories[m].wait > kMax - mem[m].wait ? kMax : mem[m].wait + r.memories[m].wait;
          mem[m].transfers += r.memories[m].transfers;
        }
        size_t k = 0;
        for (size_t c = 0; c < r.increment_ends.size(); ++c) {
          double& v = counters[lay.first_counter[s] + c];
          for (; k < r.increment_ends[c]; ++k) v += r.increments[k];
        }
      }
      f.makespan = std::max(f.makespan, t);
      for (size_t m = 0; m < mem.size(); ++m) {
        const HbmModel& h = *lay.low.memories[slot.first_memory + m];
        f.memories.push_back({h.name(), h.params().channels, mem[m].busy, mem[m].wait, mem[m].transfers});
      }
    }
    if (fits && f.tasks <= sim::kMaxTasks && active_units <= sim::kMaxActiveUnits) {
      // The layout's rows, their values set, lent to the figures (swapped, not copied: no string copies).
      for (size_t u = 0; u < lay.rows.size(); ++u) {
        for (size_t k = 0; k < lay.rows[u].size() && k < lay.row_counter[u].size(); ++k)
          lay.rows[u][k].value = counters[lay.row_counter[u][k]];
      }
      count(&Counts::assembled);
      const LentRows lent(f.stats, lay.rows);
      return assemble(f, lay.low.units, plan.lowered, net, acc.info(), layers);
    }
    // Past a limit of one simulation: the full run below reports it as lower() and the engine do.
  }

  // The full run, on the layout's units (reset by the engine), recording each group when the conditions hold.
  count(&Counts::full_runs);
  lay.low.graph.clear();
  for (auto& log : lay.logs) log.clear();
  GroupFinals finals;
  add_tasks(plan, slots, lay.low, &finals);
  std::vector<sim::IUnitModel*> units;
  units.reserve(lay.low.units.size());
  for (auto& u : lay.low.units) units.push_back(u.model.get());
  for (auto& m : lay.low.memories) m->reset();
  Boundaries bounds(lay);
  std::unique_lock<std::mutex> engine;
  if (engine_) engine = std::unique_lock<std::mutex>(*engine_);
  sim::EngineResult er = sim::run(lay.low.graph, units, memoizable ? &bounds : nullptr);
  engine = {};

  if (memoizable) {
    // Per core and launched group: the figures of its tasks.
    const size_t nl = launched.size();
    std::vector<size_t> position(plan.groups.size(), 0);
    for (size_t i = 0; i < nl; ++i) position[launched[i]] = i;
    std::vector<Record> made(slots.size() * nl);
    std::vector<sim::Ps> start(made.size(), std::numeric_limits<sim::Ps>::max()), end(made.size(), 0);
    std::vector<sim::Ps> ready(made.size(), -1);
    // Per record, its core's units (a stride of the most units a core has), in one allocation.
    size_t stride = 0;
    for (const CoreSlot& sl : slots) stride = std::max(stride, sl.end_unit - sl.first_unit);
    std::vector<Record::UnitTotals> totals(made.size() * stride);
    for (sim::TaskId t = 0; t < lay.low.graph.size(); ++t) {
      const sim::Task& task = lay.low.graph.task(t);
      const size_t core = lay.unit_core[static_cast<size_t>(task.unit)];
      const size_t i = core * nl + position[static_cast<size_t>(task.layer)];
      const sim::TaskRecord& rec = er.tasks[static_cast<size_t>(t)];
      start[i] = std::min(start[i], rec.start);
      end[i] = std::max(end[i], rec.end);
      if (task.kind == kDispatch) ready[i] = rec.ready;
      Record& r = made[i];
      ++r.tasks;
      if (task.kind == kLoad || task.kind == kStore) r.bytes += static_cast<double>(task.bytes);
      if (task.kind == kLoad || task.kind == kStore || task.kind == kL2Load) {
        r.transfer_bytes += static_cast<double>(task.bytes);  // whole bytes: exact in any order below 2^53
      }
      auto& ut = totals[i * stride + static_cast<size_t>(task.unit) - slots[core].first_unit];
      ut.busy += rec.end - rec.start;
      ut.wait += rec.start - rec.ready;
      ++ut.tasks;
    }
    bool ok = true;
    for (size_t core = 0; core < slots.size() && ok; ++core) {
      const auto& snaps = bounds.snaps[core];
      ok = snaps.size() == nl && finals.size() == slots.size();
      sim::Ps previous_end = 0;
      for (size_t i = 0; i < nl && ok; ++i) {
        const size_t x = core * nl + i, g = launched[i];
        sim::Ps finals_end = 0;
        for (sim::TaskId t : finals[core][g]) finals_end = std::max(finals_end, er.tasks[static_cast<size_t>(t)].end);
        // The dispatch was ready when the previous group ended and the group ends with a task later ones wait for.
        ok = snaps[i].group == static_cast<int32_t>(g) && ready[x] == previous_end && start[x] == ready[x] &&
             finals_end == end[x];
        previous_end = end[x];
        Record& r = made[x];
        r.duration = end[x] - start[x];
        const auto first_total = totals.begin() + static_cast<std::ptrdiff_t>(x * stride);
        const auto end_total = first_total + static_cast<std::ptrdiff_t>(slots[core].end_unit - slots[core].first_unit);
        r.units.reserve(static_cast<size_t>(
            std::count_if(first_total, end_total, [](const Record::UnitTotals& t) { return t.tasks > 0; })));
        for (auto it = first_total; it != end_total; ++it) {
          if (it->tasks > 0) {
            it->unit = static_cast<size_t>(it - first_total);
            r.units.push_back(*it);
          }
        }
        Boundaries::Snap end_snap;  // after the core's last group (the others end where the next one's begins)
        if (i + 1 == nl) end_snap = bounds.snap(core, -1);
        const Boundaries::Snap& after = i + 1 < nl ? snaps[i + 1] : end_snap;
        r.memories.reserve(snaps[i].memories);
        for (size_t m = 0; m < snaps[i].memories; ++m) {
          const auto& a = bounds.memory(snaps[i], m);
          const auto& b = bounds.memory(after, m);
          r.memories.push_back({b.busy - a.busy, b.wait - a.wait, b.transfers - a.transfers});
          ok = ok && b.busy < std::numeric_limits<sim::Ps>::max() && b.wait < std::numeric_limits<sim::Ps>::max();
        }
        const size_t first = lay.first_counter[core];
        size_t n = 0;
        for (size_t c = 0; c < snaps[i].logs; ++c) n += bounds.log_size(after, c) - bounds.log_size(snaps[i], c);
        r.increments.reserve(n);
        r.increment_ends.reserve(snaps[i].logs);
        for (size_t c = 0; c < snaps[i].logs; ++c) {
          const auto& log = lay.logs[first + c];
          r.increments.insert(r.increments.end(),
                              log.begin() + static_cast<std::ptrdiff_t>(bounds.log_size(snaps[i], c)),
                              log.begin() + static_cast<std::ptrdiff_t>(bounds.log_size(after, c)));
          r.increment_ends.push_back(r.increments.size());
        }
      }
    }
    if (ok) {
      std::vector<std::shared_ptr<const Record>> shared;
      shared.reserve(made.size());
      for (Record& r : made) shared.push_back(std::make_shared<const Record>(std::move(r)));
      insert_all(acc, ws, std::move(shared));
    }
  }
  std::vector<sim::StatGroup>& stats = lay.stats;
  return assemble(run_figures(std::move(er), lay.low, stats), lay.low.units, lay.low.groups, net, acc.info(), layers);
}

}  // namespace rp::accel
