#pragma once
// The evaluator's fast path for repeated evaluation: a simulation memoized per fusion group, exact.
//
// Why it is exact. The skeleton (lowering/skeleton.h) runs the launched groups of a core one after another when
// each waits for the one before it (GPU: stream order, always; TPU: when the previous launched group is among its
// dependencies, through views) and the tasks that end a group (the ones later groups wait for) include its last
// task. Then a group starts exactly when the previous one has ended; every unit is idle, every HBM channel
// reservation has ended, and the units keep no state across tasks but their counters. The group therefore runs
// as it would alone from time 0, shifted in time (integer picoseconds, so exactly), with its HBM channels
// relabelled by the round-robin pointer (all idle, so alike). The network's figures are then sums of the groups':
// its latency the sum of their durations (the maximum over cores), each unit's busy time, contention and task
// count, each memory's channel time, contention and transfers, each group's span shifted by the groups before it.
// Floating-point counters (sim::Counter) are replayed increment by increment in simulation order, so their sums
// come out bit for bit. assemble() (run_figures.h) then builds the report exactly as after one engine run.
//
// Keys: IGroupPlanner::key() per core and group (the group's shape and the core's share); one memo per
// accelerator (the config is fixed: a memo that sees another accelerator forgets everything first).
// Records come only from full runs that checked the conditions above as they ran (the dispatch of each group was
// ready exactly when the previous group ended); a network is assembled from records only when every one of its
// groups has a record and its structure meets the conditions. Otherwise the fast path steps aside: the network
// is simulated whole (and its groups recorded when the conditions hold). It steps aside for good on an
// accelerator whose lowering has no keys, whose units register counters other than sim::Counter, or whose stack
// prefetches weights (SkeletonRules::weight_prefetch: a group's weight load overlaps the group before it, so
// groups do not run back to back and the network's figures are not the sums of its groups').
//
// Bounded: at most `capacity` group records (least recently used evicted), each a few hundred bytes.
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "accel_models/common/accelerator.h"
#include "simulator/sim_result.h"
#include "simulator/time.h"
#include "traces/network/network.h"

namespace rp::accel {

class GroupMemo {
 public:
  static constexpr size_t kDefaultCapacity = 20000;

  explicit GroupMemo(size_t capacity = kDefaultCapacity);
  ~GroupMemo();
  GroupMemo(const GroupMemo&) = delete;
  GroupMemo& operator=(const GroupMemo&) = delete;

  // The same result as simulate_lowered(acc.lower(net), net, acc.info()) (simulate.h), field by field and to the
  // picosecond; like it, leaves the HBM capacity check to the caller. Throws what lower() and the engine throw.
  // `layers` false: SimResult::layers left empty, every other field the same (the evaluator's Outcome needs no
  // per-layer table, and building it was a fifth of a memoized evaluation).
  sim::SimResult simulate(const traces::Network& net, const IAccelerator& acc, bool layers = true);

  struct Counts {
    int64_t group_hits = 0, group_misses = 0;  // group records found / not found
    int64_t assembled = 0;                     // networks assembled from records only
    int64_t full_runs = 0;                     // networks simulated whole
  };
  const Counts& counts() const { return counts_; }
  size_t size() const { return order_.size(); }  // group records held, at most capacity()
  size_t capacity() const { return capacity_; }

  struct Record;  // one group's figures (group_memo.cpp)
  struct Layout;  // one accelerator's units for a number of cores (group_memo.cpp)

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const Record>>;
  const Record* find(std::string_view key);
  void insert(std::string_view key, std::shared_ptr<const Record> record);
  Layout& layout(const IAccelerator& acc, size_t cores);
  std::string_view key(size_t i) const;  // the i-th key of the current network, in keys_

  size_t capacity_;
  const IAccelerator* acc_ = nullptr;  // the accelerator the records and layouts are of
  std::vector<std::unique_ptr<Layout>> layouts_;
  std::list<Entry> order_;  // most recently used first
  // Keyed by views of the entries' own keys (a list node never moves): a lookup allocates nothing.
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
  Counts counts_;
  // Scratch reused by every simulate(): the current network's keys back to back, and where each ends.
  std::string keys_;
  std::vector<size_t> key_ends_;
};

}  // namespace rp::accel
