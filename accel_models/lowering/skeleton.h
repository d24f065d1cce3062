#pragma once
// The lowering skeleton every family shares; a family supplies only its rules (IFamilyRules): which fusions it
// forms, how many cores split the batch and which units each core has, and for each fusion group the work of
// each pipelined step on those units. The skeleton does the rest, the same way for every family:
//  - attention layers unfused (lowering/attention.h) before fusion unless the family fuses attention;
//  - fusion groups (lowering/fusion.h) under the family's policy, planned once each in topological order;
//  - the batch split over the cores (near-equal integer shares; a core with no share gets no units);
//  - per core and group: one dispatch task on the core's dispatch unit, after the groups it depends on (DAG
//    order) or after the previous group (stream order, GPU), then the group's steps as a double-buffered
//    pipeline (a group that launches nothing, a view, passes its dependencies on to its consumers): step s's loads wait for the dispatch and for step s-2's compute (two buffers), its compute tasks
//    run as a chain after its loads, its store after its compute.
// Task creation order is fixed (cores, groups, steps; loads, compute, store), and with it every TaskId, so a
// lowering is repeatable to the task.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
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

// One pipelined step (a tile) of a fusion group. The skeleton sets Task::layer.
struct Step {
  std::vector<sim::Task> loads;    // issued together
  std::vector<sim::Task> compute;  // a chain
  std::optional<sim::Task> store;
};

struct GroupPlan {
  std::string unit;  // the unit kind doing the main work (reports)
  int64_t macs = 0;
  bool launches = true;  // false: nothing runs (a view); no dispatch, no tasks
};

// A family's rules for lowering one network (made per lower() call, so it may keep state across groups).
class IGroupPlanner {
 public:
  virtual ~IGroupPlanner() = default;
  // Called once per group, in topological order, before any steps().
  virtual GroupPlan plan(size_t group, const FusionGroup& g) = 0;
  // The steps of `group` on one core. Throws SimulationError when the group cannot be mapped.
  virtual std::vector<Step> steps(size_t group, const CoreUnits& units, const CoreShare& share) const = 0;
};

struct SkeletonRules {
  int cores = 1;                           // the batch is split over this many cores
  bool stream_order = false;               // each group waits for the previous one (one GPU stream); else its deps
  bool buffer_wait_without_loads = false;  // a step without loads still waits for step s-2's compute
  bool fused_attention = false;            // attention as one flash-style group; else QK^T, softmax, AV apart
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
Lowered lower(const traces::Network& net, const IFamilyRules& rules);

// The accelerator of a family: its info and its rules (one class for every family).
class RulesAccelerator : public IAccelerator {
 public:
  RulesAccelerator(AcceleratorInfo info, std::unique_ptr<IFamilyRules> rules)
      : info_(std::move(info)), rules_(std::move(rules)) {}
  const AcceleratorInfo& info() const override { return info_; }
  Lowered lower(const traces::Network& net) const override { return accel::lower(net, *rules_); }

 private:
  AcceleratorInfo info_;
  std::unique_ptr<IFamilyRules> rules_;
};

}  // namespace rp::accel
