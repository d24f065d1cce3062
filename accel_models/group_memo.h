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
// prefetches weights or dispatches ahead (SkeletonRules::weight_prefetch, async_dispatch: a group's weight load or
// dispatch overlaps the group before it, so groups do not run back to back and the network's figures are not the
// sums of its groups').
//
// Bounded: at most `capacity` group records (least recently used evicted), each a few hundred bytes. A record is
// one allocation (its figures' lists and its key in one block, the recency list threaded through the blocks, the
// index a table of pointers to the blocks, at most four per record of capacity): a cold call records every group,
// and recording was mostly allocation.
//
// Thread-safe: simulate() may be called from several threads at once (on one accelerator). The records are shared,
// under the memo's own mutex (held only to look keys up and to store a full run's records); each call works in a
// workspace of its own (the units a full run uses and the assembly reuses: one per call in progress, kept for the
// next), so a network assembled from records runs in parallel with others. A call holds a count on each record it
// assembles from (atomic), so a record evicted meanwhile stays whole until the call is done. A full run's engine
// run (SystemC, whose simulation context is process-global) holds `engine` when one is given: callers that
// simulate from several threads pass the one mutex every engine run of their process holds (Python's module
// does). Records do not depend on which call made them, so results are the same, field by field, whatever the
// interleaving.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "accel_models/common/accelerator.h"
#include "simulator/sim_result.h"
#include "simulator/time.h"
#include "traces/network/network.h"

namespace rp::accel {

class GroupMemo {
 public:
  static constexpr size_t kDefaultCapacity = 20000;

  explicit GroupMemo(size_t capacity = kDefaultCapacity, std::mutex* engine = nullptr);
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
  Counts counts() const;  // a copy, taken under the mutex
  size_t size() const;    // group records held, at most capacity()
  size_t capacity() const { return capacity_; }

  struct Record;     // one group's figures and key, in one block (group_memo.cpp)
  class Ref;         // a counted reference to a record (shared by the memo and the calls assembling from it)
  struct Layout;     // one accelerator's units for a number of cores (group_memo.cpp)
  struct Workspace;  // what one call in progress uses alone (group_memo.cpp)

 private:
  using Found = std::vector<Ref>;
  sim::SimResult simulate_in(Workspace& ws, const traces::Network& net, const IAccelerator& acc, bool layers);
  // Under mutex_: forgets everything when `acc` is not the memo's accelerator, then looks up each of ws's keys
  // (null where none). False when any is missing.
  bool find_all(const IAccelerator& acc, const Workspace& ws, Found& found);
  // Under mutex_: stores a full run's records (dropped if the memo has moved to another accelerator meanwhile).
  void insert_all(const IAccelerator& acc, std::vector<Ref>& made);
  void insert(Ref record);   // mutex_ held; keyed by the record's own key
  void to_front(Record* r);  // mutex_ held: r (in the recency list or not) becomes the most recent
  void unlink(Record* r);    // mutex_ held: r leaves the recency list
  void forget_all();         // mutex_ held: every record dropped
  // mutex_ held: the index's slot holding the record of `key` (hashed to `hash`), or the empty slot where it goes.
  size_t slot(std::string_view key, size_t hash) const;
  void grow();                // mutex_ held: the index twice as large, every record placed again
  void erase_slot(size_t i);  // mutex_ held: the index's slot i emptied (the records after it moved up)
  void count(int64_t Counts::*field);
  std::unique_ptr<Workspace> take_workspace(const IAccelerator& acc);
  void give_back(std::unique_ptr<Workspace> ws);

  const size_t capacity_;
  std::mutex* const engine_;           // held around each engine run (null: none)
  mutable std::mutex mutex_;           // guards everything below
  const IAccelerator* acc_ = nullptr;  // the accelerator the records are of
  // The recency list, threaded through the records (each holds one reference of the memo's): most recent first.
  Record* newest_ = nullptr;
  Record* oldest_ = nullptr;
  size_t size_ = 0;
  // The index: open addressing with linear probing over the records' own keys and hashes (null: an empty slot),
  // a power of two in size and at most half full. A lookup allocates nothing, a record adds no allocation of its
  // own.
  std::vector<Record*> index_;
  Counts counts_;
  std::vector<std::unique_ptr<Workspace>> idle_;  // workspaces of calls that have ended, reused by the next
};

}  // namespace rp::accel
