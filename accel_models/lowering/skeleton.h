#pragma once
// The lowering skeleton every family shares; a family supplies only its rules (IFamilyRules): which fusions it
// forms, how many cores split the batch and which units each core has, and for each fusion group the work of
// each pipelined step on those units. The skeleton does the rest, the same way for every family:
//  - attention layers unfused (lowering/attention.h) before fusion unless the family fuses attention;
//  - fusion groups (lowering/fusion.h) under the family's policy, planned once each in topological order;
//  - the batch split over the cores (near-equal integer shares; a core with no share gets no units);
//  - per core and group: one dispatch task on the core's dispatch unit, after the groups it depends on (DAG
//    order) or after the previous group (stream order, GPU; with async_dispatch after the previous dispatch, and
//    the group's first tasks also after the previous group), then the group's steps as a double-buffered
//    pipeline (a group that launches nothing, a view, passes its dependencies on to its consumers): step s's loads wait for the dispatch and for step s-2's compute (two buffers), its compute tasks
//    run as a chain after its loads, its store after its compute;
//  - a step's prefetch (the group's weights, set by a family only under its weight_prefetch switch) waits not for
//    the group's dispatch but for the dispatch of the previous launched group on the core, so the weight load
//    overlaps that group's work (SkeletonRules::weight_prefetch); the step's compute waits for it like a load.
// Task creation order is fixed (cores, groups, steps; loads, compute, store), and with it every TaskId, so a
// lowering is repeatable to the task.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "accel_models/common/accelerator.h"
#include "accel_models/dma/dma_params.h"
#include "accel_models/lowering/fusion.h"

namespace rp::accel {

// Splits `total` into `parts` near-equal integer shares; share i.
int64_t share(int64_t total, int64_t parts, int64_t i);

// Adds units and memories to a Lowered.
class UnitSet {
 public:
  explicit UnitSet(Lowered& low) : low_(low) {}
  sim::UnitId add(std::unique_ptr<sim::IUnitModel> model, const std::string& kind, bool headline = false);
  HbmModel& add_memory(const std::string& name, const HbmParams& p);
  // `count` DMA engines (or GPU memory paths) named prefix + kind + index, of kind `kind`, sharing `hbm`.
  std::vector<sim::UnitId> add_dma(const std::string& prefix, const std::string& kind, int count, const DmaParams& p,
                                   HbmModel& hbm);

 private:
  Lowered& low_;
};

struct CoreUnits {
  sim::UnitId dispatch = 0;          // the sequencer / launch path
  std::vector<sim::UnitId> compute;  // family-defined order (TPU: matrix, vector; GPU: SMs, L2)
  std::vector<sim::UnitId> reads, writes;
};

struct CoreShare {
  int core = 0;
  int64_t batch = 0;    // images on this core
  double fraction = 1;  // batch / network batch
};

// A short list of tasks, held in place up to kInPlace of them and on the heap beyond (a step's loads and compute
// chain are a few tasks: a std::vector was two allocations per step, about a twentieth of a cold simulation).
// The std::vector calls a planner uses: push_back, reserve, size, empty, iteration, indexing.
class TaskList {
 public:
  static constexpr size_t kInPlace = 3;
  TaskList() = default;
  TaskList(const TaskList&) = default;
  TaskList& operator=(const TaskList&) = default;
  // A moved-from list is empty (the defaults would keep size_ while emptying heap_).
  TaskList(TaskList&& o) noexcept : in_place_(o.in_place_), heap_(std::move(o.heap_)), size_(o.size_) { o.clear(); }
  TaskList& operator=(TaskList&& o) noexcept {
    in_place_ = o.in_place_;
    heap_ = std::move(o.heap_);
    size_ = o.size_;
    o.clear();
    return *this;
  }
  void clear() {
    heap_.clear();
    size_ = 0;
  }
  void push_back(const sim::Task& t) {
    if (heap_.empty() && size_ < kInPlace) {
      in_place_[size_++] = t;
      return;
    }
    if (heap_.empty()) heap_.assign(in_place_.begin(), in_place_.begin() + static_cast<std::ptrdiff_t>(size_));
    heap_.push_back(t);
    size_ = heap_.size();
  }
  void reserve(size_t n) {
    if (n > kInPlace) heap_.reserve(n);
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  sim::Task* begin() { return heap_.empty() ? in_place_.data() : heap_.data(); }
  sim::Task* end() { return begin() + size_; }
  const sim::Task* begin() const { return heap_.empty() ? in_place_.data() : heap_.data(); }
  const sim::Task* end() const { return begin() + size_; }
  sim::Task& operator[](size_t i) { return begin()[i]; }
  const sim::Task& operator[](size_t i) const { return begin()[i]; }

 private:
  std::array<sim::Task, kInPlace> in_place_;
  std::vector<sim::Task> heap_;  // all of them, once there are more than kInPlace (empty until then)
  size_t size_ = 0;
};

// One pipelined step (a tile) of a fusion group. The skeleton sets Task::layer.
struct Step {
  TaskList loads;    // issued together
  TaskList compute;  // a chain
  std::optional<sim::Task> store;
  std::optional<sim::Task> prefetch;  // weights loaded after the previous launched group's dispatch (see above)
};

struct GroupPlan {
  std::string unit;  // the unit kind doing the main work (reports)
  int64_t macs = 0;
  bool launches = true;       // false: nothing runs (a view); no dispatch, no tasks
  int32_t dispatch_cost = 0;  // the dispatch task's Task::aux: which cost of the dispatch unit it pays (sequencer.h)
  int32_t dispatches = 1;     // the dispatch task's Task::ops: how many times it pays that cost (0 counts as 1)
};

// Appends the bytes of a number to a group key (IGroupPlanner::key): equal bytes, equal value.
template <class T>
void append_key(std::string& key, T v) {
  static_assert(std::is_arithmetic_v<T>, "a group key holds numbers");
  key.append(reinterpret_cast<const char*>(&v), sizeof v);
}
// The share's fields (core, batch, fraction), which every family's key holds.
void append_key(std::string& key, const CoreShare& share);

// A family's rules for lowering one network (made per lower() call, so it may keep state across groups).
class IGroupPlanner {
 public:
  virtual ~IGroupPlanner() = default;
  // Called once per group, in topological order, before any steps().
  virtual GroupPlan plan(size_t group, const FusionGroup& g) = 0;
  // The steps of `group` on one core. Throws SimulationError when the group cannot be mapped.
  virtual std::vector<Step> steps(size_t group, const CoreUnits& units, const CoreShare& share) const = 0;
  // The group's shape for the evaluator's group memo (group_memo.h): appends to `key` bytes that hold everything
  // steps(group, ., share) reads (the group's work, the share; the config is the accelerator's own), so two groups
  // with equal keys on one accelerator lower into the same steps (error messages aside). Appends nothing (the
  // default): no key, the memo steps aside for the network. Appending to the caller's buffer lets the memo reuse
  // one allocation for every key.
  virtual void key(size_t group, const CoreShare& share, std::string& key) const {
    (void)group;
    (void)share;
    (void)key;
  }
};

struct SkeletonRules {
  int cores = 1;                           // the batch is split over this many cores
  bool stream_order = false;               // each group waits for the previous one (one GPU stream); else its deps
  bool buffer_wait_without_loads = false;  // a step without loads still waits for step s-2's compute
  bool fused_attention = false;            // attention as one flash-style group; else QK^T, softmax, AV apart
  bool weight_prefetch = false;            // steps may carry prefetches: groups overlap (the group memo steps aside)
  // With stream_order: a group's dispatch waits only for the previous dispatch, and its work for its dispatch and
  // the previous group's end (host launches run ahead of the stream); groups' dispatches overlap the work before
  // them (the group memo steps aside).
  bool async_dispatch = false;
};

class IFamilyRules {
 public:
  virtual ~IFamilyRules() = default;
  virtual FusionPolicy fusion_policy() const = 0;
  virtual SkeletonRules skeleton() const = 0;
  virtual CoreUnits add_core(UnitSet& units, int core) const = 0;
  virtual std::unique_ptr<IGroupPlanner> planner(const traces::Network& net) const = 0;
};

// Throws SimulationError when a group cannot be mapped, and when the lowering needs more tasks than one
// simulation may have (sim::kMaxTasks, simulator/engine.h; counted without building the graph past the limit).
// The same as plan_lowering(), add_units() and add_tasks() below, in this order.
Lowered lower(const traces::Network& net, const IFamilyRules& rules);

// A lowering in its three parts, for the evaluator's group memo (group_memo.h), which plans every network but
// builds units and tasks only for the groups it has not seen.
struct LoweringPlan {
  std::unique_ptr<traces::Network> unfused;  // the network with attention taken apart, when the rules need that
  std::vector<FusionGroup> groups;           // in topological order
  std::vector<LoweredGroup> lowered;         // per group: name, members, unit, MACs (Lowered::groups)
  std::vector<bool> launches;                // per group: false for a view (nothing runs)
  std::vector<int32_t> dispatch_costs;       // per group: GroupPlan::dispatch_cost
  std::vector<int32_t> dispatch_counts;      // per group: GroupPlan::dispatches
  std::unique_ptr<IGroupPlanner> planner;    // plan() already called for every group
  SkeletonRules sk;
  std::vector<CoreShare> shares;  // the cores with a share of the batch, in core order
};

struct CoreSlot {
  CoreShare share;
  CoreUnits units;
  size_t first_unit = 0, end_unit = 0;      // the core's units: [first_unit, end_unit) of Lowered::units
  size_t first_memory = 0, end_memory = 0;  // its memories, likewise
};

// Per core and group: the tasks that end the group, which later groups wait for (empty: it launched nothing).
using GroupFinals = std::vector<std::vector<std::vector<sim::TaskId>>>;

// Fuses and plans the groups (a SimulationError from a family's plan() passes through). `names` false leaves each
// LoweredGroup's name, members and unit empty (their MACs and count stay): for a run whose report needs no
// per-layer table (the evaluator's figures), which saves a string per layer.
LoweringPlan plan_lowering(const traces::Network& net, const IFamilyRules& rules, bool names = true);
// Adds every core's units (IFamilyRules::add_core) to `low`, in core order.
std::vector<CoreSlot> add_units(const LoweringPlan& plan, const IFamilyRules& rules, Lowered& low);
// Builds the task graph into low.graph (and moves the plan's LoweredGroups into low.groups); throws as lower().
void add_tasks(LoweringPlan& plan, const std::vector<CoreSlot>& slots, Lowered& low, GroupFinals* finals = nullptr);

// The accelerator of a family: its info and its rules (one class for every family).
class RulesAccelerator : public IAccelerator {
 public:
  RulesAccelerator(AcceleratorInfo info, std::unique_ptr<IFamilyRules> rules)
      : info_(std::move(info)), rules_(std::move(rules)) {}
  const AcceleratorInfo& info() const override { return info_; }
  Lowered lower(const traces::Network& net) const override { return accel::lower(net, *rules_); }
  const IFamilyRules* rules() const override { return rules_.get(); }

 private:
  AcceleratorInfo info_;
  std::unique_ptr<IFamilyRules> rules_;
};

}  // namespace rp::accel
