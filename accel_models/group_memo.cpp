#include "accel_models/group_memo.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <limits>
#include <new>

#include "accel_models/lowering/skeleton.h"
#include "accel_models/run_figures.h"
#include "accel_models/simulate.h"
#include "simulator/engine.h"
#include "simulator/stats.h"

namespace rp::accel {

// One group's figures, its lists and its key in one block behind it (one allocation, freed at once): the units'
// totals, the memories' totals, the counters' increment ends, the increments, the key's bytes.
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
  struct Sizes {
    size_t units = 0, memories = 0, counters = 0, increments = 0, key = 0;
  };
  sim::Ps duration = 0;  // from the dispatch's start to the last task's end
  int64_t tasks = 0;
  double bytes = 0;           // HBM bytes of its loads and stores
  double transfer_bytes = 0;  // bytes of its loads, stores and L2 loads (RunFigures)
  Sizes n;
  size_t hash = 0;           // of its key (std::hash<std::string_view>)
  std::atomic<int> refs{1};  // the Refs to it (the memo's one among them)
  Record* newer = nullptr;   // the recency list (group_memo.h), under the memo's mutex
  Record* older = nullptr;

  // A record of these sizes, its lists uninitialised but for the header (one allocation; refs 1).
  static Record* make(const Sizes& sizes) {
    void* block = ::operator new(offset(sizes, 5));
    auto* r = new (block) Record;
    r->n = sizes;
    return r;
  }
  static void destroy(Record* r) {
    r->~Record();
    ::operator delete(r);
  }
  // The lists, in the block after the header: per unit of the core that served the group's tasks its totals, per
  // memory of the core its totals, per counter of the core its increments in simulation order, the counters' back to back:
  // counter c's are increments()[increment_ends()[c - 1] .. increment_ends()[c]), increment_ends()[-1] = 0.
  UnitTotals* units() { return reinterpret_cast<UnitTotals*>(at(0)); }
  MemoryTotals* memories() { return reinterpret_cast<MemoryTotals*>(at(1)); }
  size_t* increment_ends() { return reinterpret_cast<size_t*>(at(2)); }
  double* increments() { return reinterpret_cast<double*>(at(3)); }
  char* key_bytes() { return at(4); }
  const UnitTotals* units() const { return const_cast<Record*>(this)->units(); }
  const MemoryTotals* memories() const { return const_cast<Record*>(this)->memories(); }
  const size_t* increment_ends() const { return const_cast<Record*>(this)->increment_ends(); }
  const double* increments() const { return const_cast<Record*>(this)->increments(); }
  std::string_view key() const { return {const_cast<Record*>(this)->key_bytes(), n.key}; }

 private:
  static size_t header() { return (sizeof(Record) + 7) / 8 * 8; }
  // Where list `list` (0 .. 4 as above; 5: the block's end) begins, from the block's start.
  static size_t offset(const Sizes& s, int list) {
    const size_t lengths[] = {s.units * sizeof(UnitTotals), s.memories * sizeof(MemoryTotals),
                              s.counters * sizeof(size_t), s.increments * sizeof(double), s.key};
    size_t o = header();
    for (int l = 0; l < list; ++l) o += lengths[l];
    return o;
  }
  char* at(int list) { return reinterpret_cast<char*>(this) + offset(n, list); }
};
static_assert(alignof(GroupMemo::Record) <= 8, "a record's lists follow its header at 8-byte alignment");
static_assert(sizeof(GroupMemo::Record::UnitTotals) % 8 == 0 && alignof(GroupMemo::Record::UnitTotals) <= 8 &&
                  sizeof(GroupMemo::Record::MemoryTotals) % 8 == 0 && alignof(GroupMemo::Record::MemoryTotals) <= 8,
              "the lists after a record's header stay 8-byte aligned only if each element size is a multiple of 8");

// A counted reference to a record: the memo holds one per record it keeps, each call one per record it assembles
// from (so a record evicted meanwhile stays whole until the call is done). Counted atomically (thread-safe).
class GroupMemo::Ref {
 public:
  Ref() = default;
  explicit Ref(Record* adopted) : r_(adopted) {}  // takes over one count
  Ref(const Ref& o) : r_(o.r_) {
    if (r_) r_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  Ref(Ref&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Ref& operator=(Ref o) noexcept {
    std::swap(r_, o.r_);
    return *this;
  }
  ~Ref() {
    if (r_ && r_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) Record::destroy(r_);
  }
  Record* get() const { return r_; }
  Record* release() {
    Record* r = r_;
    r_ = nullptr;
    return r;
  }
  const Record& operator*() const { return *r_; }
  const Record* operator->() const { return r_; }
  explicit operator bool() const { return r_ != nullptr; }

 private:
  Record* r_ = nullptr;
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
  std::vector<size_t> hashes;    // each key's (std::hash<std::string_view>), taken outside the memo's mutex

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
GroupMemo::~GroupMemo() { forget_all(); }

void GroupMemo::forget_all() {
  std::fill(index_.begin(), index_.end(), nullptr);
  for (Record* r = newest_; r;) {
    Record* older = r->older;
    const Ref memo_s(r);  // the memo's reference, dropped here (a call may still hold others)
    r = older;
  }
  newest_ = oldest_ = nullptr;
  size_ = 0;
}

size_t GroupMemo::slot(std::string_view key, size_t hash) const {
  const size_t mask = index_.size() - 1;
  size_t i = hash & mask;
  while (index_[i] && (index_[i]->hash != hash || index_[i]->key() != key)) i = (i + 1) & mask;
  return i;
}

void GroupMemo::grow() {
  std::vector<Record*> old(std::max<size_t>(64, 2 * index_.size()), nullptr);
  old.swap(index_);
  const size_t mask = index_.size() - 1;
  for (Record* r : old) {
    if (!r) continue;
    size_t i = r->hash & mask;
    while (index_[i]) i = (i + 1) & mask;
    index_[i] = r;
  }
}

void GroupMemo::erase_slot(size_t i) {
  const size_t mask = index_.size() - 1;
  for (size_t j = (i + 1) & mask; index_[j]; j = (j + 1) & mask) {
    // A record stays where it is when its home slot lies cyclically in (i, j]; otherwise it moves up to i.
    const size_t home = index_[j]->hash & mask;
    const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
    if (stays) continue;
    index_[i] = index_[j];
    i = j;
  }
  index_[i] = nullptr;
}

void GroupMemo::unlink(Record* r) {
  (r->newer ? r->newer->older : newest_) = r->older;
  (r->older ? r->older->newer : oldest_) = r->newer;
  r->newer = r->older = nullptr;
}

void GroupMemo::to_front(Record* r) {
  if (r == newest_) return;
  if (r->newer || r->older || oldest_ == r) unlink(r);
  r->older = newest_;
  (newest_ ? newest_->newer : oldest_) = r;
  newest_ = r;
}

GroupMemo::Counts GroupMemo::counts() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return counts_;
}

size_t GroupMemo::size() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return size_;
}

void GroupMemo::count(int64_t Counts::*field) {
  const std::lock_guard<std::mutex> lock(mutex_);
  ++(counts_.*field);
}

bool GroupMemo::find_all(const IAccelerator& acc, const Workspace& ws, Found& found) {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (acc_ != &acc) {  // records are of one accelerator
    forget_all();
    acc_ = &acc;
  }
  bool all = true;
  found.reserve(ws.key_ends.size());
  for (size_t x = 0; x < ws.key_ends.size(); ++x) {
    Record* const r = index_.empty() ? nullptr : index_[slot(ws.key(x), ws.hashes[x])];
    if (!r) {
      ++counts_.group_misses;
      all = false;
      found.emplace_back();
      continue;
    }
    ++counts_.group_hits;
    to_front(r);
    r->refs.fetch_add(1, std::memory_order_relaxed);  // the call's reference
    found.push_back(Ref(r));
  }
  return all;
}

void GroupMemo::insert_all(const IAccelerator& acc, std::vector<Ref>& made) {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (acc_ != &acc) return;  // another call moved the memo to another accelerator meanwhile
  for (Ref& r : made) insert(std::move(r));
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

void GroupMemo::insert(Ref record) {
  if (2 * (size_ + 1) > index_.size()) grow();  // at most half full, also with this record
  size_t i = slot(record->key(), record->hash);
  if (index_[i]) {  // kept: the one held (`record` is dropped)
    to_front(index_[i]);
    return;
  }
  if (size_ >= capacity_) {  // the least recently used goes (its slot first, then the block holding its key)
    Record* old = oldest_;
    erase_slot(slot(old->key(), old->hash));
    unlink(old);
    const Ref memo_s(old);  // the memo's reference, dropped
    --size_;
    i = slot(record->key(), record->hash);  // the erase may have moved records up
  }
  Record* r = record.release();  // the memo's reference now
  index_[i] = r;
  to_front(r);
  ++size_;
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

  // Weight prefetch and asynchronous dispatch let a group start before the previous one ends: groups overlap, the
  // sums above are not exact.
  bool memoizable = lay.replayable && chained(plan) && !plan.sk.weight_prefetch && !plan.sk.async_dispatch;
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
    ws.hashes.resize(ws.key_ends.size());
    for (size_t x = 0; x < ws.hashes.size(); ++x) ws.hashes[x] = std::hash<std::string_view>()(ws.key(x));
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
        for (const Record::UnitTotals* ut = r.units(); ut != r.units() + r.n.units; ++ut) {
          const size_t u = slot.first_unit + ut->unit;
          f.units[u].busy += ut->busy;
          f.units[u].wait += ut->wait;
          f.units[u].tasks += ut->tasks;
          if (ut->tasks > 0 && !active[u]) {
            active[u] = true;
            ++active_units;
          }
        }
        const Record::MemoryTotals* rm = r.memories();
        for (size_t m = 0; m < mem.size(); ++m) {
          constexpr sim::Ps kMax = std::numeric_limits<sim::Ps>::max();  // as HbmModel, saturating
          mem[m].busy = rm[m].busy > kMax - mem[m].busy ? kMax : mem[m].busy + rm[m].busy;
          mem[m].wait = rm[m].wait > kMax - mem[m].wait ? kMax : mem[m].wait + rm[m].wait;
          mem[m].transfers += rm[m].transfers;
        }
        size_t k = 0;
        const size_t* ends = r.increment_ends();
        const double* increments = r.increments();
        for (size_t c = 0; c < r.n.counters; ++c) {
          double& v = counters[lay.first_counter[s] + c];
          for (; k < ends[c]; ++k) v += increments[k];
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
    struct Head {  // a record's figures summed over its tasks
      int64_t tasks = 0;
      double bytes = 0, transfer_bytes = 0;
    };
    std::vector<Head> made(slots.size() * nl);
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
      Head& r = made[i];
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
    std::vector<Ref> records;  // made in the order of ws's keys
    records.reserve(made.size());
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
        const auto first_total = totals.begin() + static_cast<std::ptrdiff_t>(x * stride);
        const auto end_total = first_total + static_cast<std::ptrdiff_t>(slots[core].end_unit - slots[core].first_unit);
        Boundaries::Snap end_snap;  // after the core's last group (the others end where the next one's begins)
        if (i + 1 == nl) end_snap = bounds.snap(core, -1);
        const Boundaries::Snap& after = i + 1 < nl ? snaps[i + 1] : end_snap;
        const std::string_view key = ws.key(x);
        Record::Sizes sizes;
        sizes.units = static_cast<size_t>(
            std::count_if(first_total, end_total, [](const Record::UnitTotals& t) { return t.tasks > 0; }));
        sizes.memories = snaps[i].memories;
        sizes.counters = snaps[i].logs;
        for (size_t c = 0; c < snaps[i].logs; ++c) {
          sizes.increments += bounds.log_size(after, c) - bounds.log_size(snaps[i], c);
        }
        sizes.key = key.size();
        records.emplace_back(Record::make(sizes));
        Record& r = *records.back().get();
        r.duration = end[x] - start[x];
        r.tasks = made[x].tasks;
        r.bytes = made[x].bytes;
        r.transfer_bytes = made[x].transfer_bytes;
        r.hash = ws.hashes[x];
        Record::UnitTotals* units = r.units();
        for (auto it = first_total; it != end_total; ++it) {
          if (it->tasks > 0) {
            it->unit = static_cast<size_t>(it - first_total);
            *units++ = *it;
          }
        }
        Record::MemoryTotals* memories = r.memories();
        for (size_t m = 0; m < snaps[i].memories; ++m) {
          const auto& a = bounds.memory(snaps[i], m);
          const auto& b = bounds.memory(after, m);
          memories[m] = {b.busy - a.busy, b.wait - a.wait, b.transfers - a.transfers};
          ok = ok && b.busy < std::numeric_limits<sim::Ps>::max() && b.wait < std::numeric_limits<sim::Ps>::max();
        }
        const size_t first = lay.first_counter[core];
        double* increments = r.increments();
        size_t n = 0;
        for (size_t c = 0; c < snaps[i].logs; ++c) {
          const auto& log = lay.logs[first + c];
          const size_t from = bounds.log_size(snaps[i], c), to = bounds.log_size(after, c);
          std::copy(log.begin() + static_cast<std::ptrdiff_t>(from), log.begin() + static_cast<std::ptrdiff_t>(to),
                    increments + n);
          n += to - from;
          r.increment_ends()[c] = n;
        }
        std::copy(key.begin(), key.end(), r.key_bytes());
      }
    }
    if (ok) insert_all(acc, records);
  }
  std::vector<sim::StatGroup>& stats = lay.stats;
  return assemble(run_figures(std::move(er), lay.low, stats), lay.low.units, lay.low.groups, net, acc.info(), layers);
}

}  // namespace rp::accel
