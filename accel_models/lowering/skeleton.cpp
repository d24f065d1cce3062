#include "accel_models/lowering/skeleton.h"

#include <map>
#include <stdexcept>

#include "accel_models/dma/dma_engine.h"
#include "accel_models/lowering/attention.h"
#include "simulator/engine.h"

namespace rp::accel {

int64_t share(int64_t total, int64_t parts, int64_t i) { return total / parts + (i < total % parts ? 1 : 0); }

sim::UnitId UnitSet::add(std::unique_ptr<sim::IUnitModel> model, const std::string& kind, bool headline) {
  low_.units.push_back({std::move(model), kind, headline});
  return static_cast<sim::UnitId>(low_.units.size() - 1);
}

HbmModel& UnitSet::add_memory(const std::string& name, const HbmParams& p) {
  low_.memories.push_back(std::make_unique<HbmModel>(name, p));
  return *low_.memories.back();
}

std::vector<sim::UnitId> UnitSet::add_dma(const std::string& prefix, const std::string& kind, int count,
                                          const DmaParams& p, HbmModel& hbm) {
  std::vector<sim::UnitId> ids;
  for (int i = 0; i < count; ++i)
    ids.push_back(add(std::make_unique<DmaEngine>(prefix + kind + std::to_string(i), p, hbm), kind));
  return ids;
}

void append_key(std::string& key, const CoreShare& share) {
  append_key(key, share.core);
  append_key(key, share.batch);
  append_key(key, share.fraction);
}

namespace {

// The double-buffered pipeline of one group on one core; returns the tasks that end it.
// `previous_dispatch`: the previous launched group's dispatch on the core (-1: none), which a prefetch waits for.
// `after`: what the group's work waits for besides its dispatch (asynchronous dispatch: the previous group's end,
// which the dispatch itself no longer waits for); empty otherwise. With `after`, every step must load or compute
// (the GPU's steps always compute): a step of neither would end at the dispatch alone (std::logic_error).
std::vector<sim::TaskId> add_pipeline(sim::TaskGraph& g, sim::TaskId dispatch, sim::TaskId previous_dispatch,
                                      const std::vector<sim::TaskId>& after, std::vector<Step>& steps, int32_t layer,
                                      bool buffer_wait_without_loads) {
  std::vector<sim::TaskId> compute_end, finals;
  compute_end.reserve(steps.size());
  finals.reserve(steps.size());
  // Dependency lists reused from task to task (one allocation each per group, not one per task).
  std::vector<sim::TaskId> start(1, dispatch), wait, loaded, one(1);
  start.insert(start.end(), after.begin(), after.end());
  for (size_t s = 0; s < steps.size(); ++s) {
    Step& st = steps[s];
    wait.assign(start.begin(), start.end());
    if (s >= 2) wait.push_back(compute_end[s - 2]);
    loaded.clear();
    if (st.prefetch) {  // before the dispatch: after the previous group's (or, for the first group, this one's)
      st.prefetch->layer = layer;
      one[0] = previous_dispatch >= 0 ? previous_dispatch : dispatch;
      loaded.push_back(g.add(*st.prefetch, one));
    }
    for (sim::Task& t : st.loads) {
      t.layer = layer;
      loaded.push_back(g.add(t, wait));
    }
    const std::vector<sim::TaskId>& before = !loaded.empty() ? loaded : (buffer_wait_without_loads ? wait : start);
    sim::TaskId last = -1;
    for (sim::Task& t : st.compute) {
      t.layer = layer;
      if (last < 0) {
        last = g.add(t, before);
      } else {
        one[0] = last;
        last = g.add(t, one);
      }
    }
    if (last < 0 && loaded.empty() && !after.empty())
      throw std::logic_error("lowering: a step without loads or compute under asynchronous dispatch");
    if (last < 0) last = loaded.empty() ? dispatch : loaded.back();
    compute_end.push_back(last);
    if (st.store) {
      st.store->layer = layer;
      one[0] = last;
      last = g.add(*st.store, one);
    }
    finals.push_back(last);
  }
  return finals;
}

// Lowers the groups onto the cores. Tasks are added to the graph while the running count `needed` stays within
// sim::kMaxTasks and only counted past it, so that a lowering too large to simulate is refused with its size and
// never built.
class CoreLowering {
 public:
  CoreLowering(Lowered& low, const LoweringPlan& plan)
      : low_(low),
        groups_(plan.groups),
        launches_(plan.launches),
        dispatch_costs_(plan.dispatch_costs),
        dispatch_counts_(plan.dispatch_counts),
        planner_(*plan.planner),
        sk_(plan.sk) {}

  // Returns the last tasks of each group on this core.
  std::vector<std::vector<sim::TaskId>> core(const CoreUnits& u, const CoreShare& cs) {
    std::vector<std::vector<sim::TaskId>> done(groups_.size());  // last tasks of each group on this core
    std::vector<std::vector<sim::TaskId>> finals(groups_.size());
    std::vector<sim::TaskId> previous;   // last tasks of the previous group (stream order)
    sim::TaskId previous_dispatch = -1;  // the previous launched group's dispatch (a prefetch waits for it)
    std::vector<sim::TaskId> after;      // asynchronous dispatch: what the group's work waits for besides it
    for (size_t gi = 0; gi < groups_.size(); ++gi) {
      if (!launches_[gi]) {  // a view: its consumers wait for what it waits for
        for (int dg : groups_[gi].deps) {
          const auto& d = done[static_cast<size_t>(dg)];
          done[gi].insert(done[gi].end(), d.begin(), d.end());
        }
        continue;
      }
      std::vector<Step> steps = planner_.steps(gi, u, cs);
      needed += 1 + task_count(steps);
      if (needed > sim::kMaxTasks) continue;  // counted only: lower() refuses the lowering
      const auto layer = static_cast<int32_t>(gi);
      std::vector<sim::TaskId> deps = previous;
      if (!sk_.stream_order) {
        deps.clear();
        for (int dg : groups_[gi].deps) {
          const auto& d = done[static_cast<size_t>(dg)];
          deps.insert(deps.end(), d.begin(), d.end());
        }
      }
      if (sk_.stream_order && sk_.async_dispatch) {  // the launch runs ahead: only the previous launch before it
        after.swap(deps);
        deps.clear();
        if (previous_dispatch >= 0) deps.push_back(previous_dispatch);
      }
      sim::Task launch{u.dispatch, layer, kDispatch};
      launch.aux = dispatch_costs_[gi];
      launch.ops = dispatch_counts_[gi];
      const sim::TaskId dispatch = low_.graph.add(launch, deps);
      done[gi] =
          add_pipeline(low_.graph, dispatch, previous_dispatch, after, steps, layer, sk_.buffer_wait_without_loads);
      after.clear();
      previous_dispatch = dispatch;
      finals[gi] = done[gi];
      previous = done[gi];
    }
    return finals;
  }

  int64_t needed = 0;  // tasks of the cores lowered so far, also those past the limit

 private:
  static int64_t task_count(const std::vector<Step>& steps) {
    int64_t n = 0;
    for (const Step& s : steps) {
      n += static_cast<int64_t>(s.loads.size() + s.compute.size()) + (s.store ? 1 : 0) + (s.prefetch ? 1 : 0);
    }
    return n;
  }

  Lowered& low_;
  const std::vector<FusionGroup>& groups_;
  const std::vector<bool>& launches_;
  const std::vector<int32_t>& dispatch_costs_;
  const std::vector<int32_t>& dispatch_counts_;
  const IGroupPlanner& planner_;
  SkeletonRules sk_;
};

LoweringPlan plan_network(const traces::Network& net, const IFamilyRules& rules, bool names) {
  LoweringPlan plan;
  plan.groups = fuse(net, rules.fusion_policy());
  plan.planner = rules.planner(net);
  plan.lowered.reserve(plan.groups.size());
  plan.launches.reserve(plan.groups.size());
  plan.dispatch_costs.reserve(plan.groups.size());
  plan.dispatch_counts.reserve(plan.groups.size());
  for (size_t gi = 0; gi < plan.groups.size(); ++gi) {
    const GroupPlan p = plan.planner->plan(gi, plan.groups[gi]);
    LoweredGroup lg;
    lg.macs = p.macs;
    if (names) {
      lg.name = plan.groups[gi].name;
      lg.unit = p.unit;
      lg.members.reserve(plan.groups[gi].members.size());
      for (int m : plan.groups[gi].members) lg.members.push_back(net.layer(m).name);
    }
    plan.lowered.push_back(std::move(lg));
    plan.launches.push_back(p.launches);
    plan.dispatch_costs.push_back(p.dispatch_cost);
    plan.dispatch_counts.push_back(p.dispatches);
  }
  plan.sk = rules.skeleton();
  const int64_t batch = net.batch();
  for (int core = 0; core < plan.sk.cores; ++core) {
    const int64_t b = share(batch, plan.sk.cores, core);
    if (b > 0) plan.shares.push_back({core, b, static_cast<double>(b) / static_cast<double>(batch)});
  }
  return plan;
}

}  // namespace

LoweringPlan plan_lowering(const traces::Network& source, const IFamilyRules& rules, bool names) {
  if (!rules.skeleton().fused_attention && has_attention(source)) {
    auto unfused = std::make_unique<traces::Network>(unfuse_attention(source));
    LoweringPlan plan = plan_network(*unfused, rules, names);
    plan.unfused = std::move(unfused);  // the planner refers to it: kept with the plan
    return plan;
  }
  return plan_network(source, rules, names);
}

std::vector<CoreSlot> add_units(const LoweringPlan& plan, const IFamilyRules& rules, Lowered& low) {
  std::vector<CoreSlot> slots;
  slots.reserve(plan.shares.size());
  UnitSet units(low);
  for (const CoreShare& cs : plan.shares) {
    CoreSlot slot;
    slot.share = cs;
    slot.first_unit = low.units.size();
    slot.first_memory = low.memories.size();
    slot.units = rules.add_core(units, cs.core);
    slot.end_unit = low.units.size();
    slot.end_memory = low.memories.size();
    slots.push_back(std::move(slot));
  }
  return slots;
}

void add_tasks(LoweringPlan& plan, const std::vector<CoreSlot>& slots, Lowered& low, GroupFinals* finals) {
  low.groups = std::move(plan.lowered);
  CoreLowering lowering(low, plan);
  std::map<int64_t, int64_t> core_tasks;  // tasks of one core by its batch share: equal shares lower alike
  for (const CoreSlot& slot : slots) {
    const int64_t b = slot.share.batch;
    const auto known = core_tasks.find(b);
    if (lowering.needed > sim::kMaxTasks && known != core_tasks.end()) {
      lowering.needed += known->second;  // past the limit: only the count matters
      continue;
    }
    const int64_t before = lowering.needed;
    auto ends = lowering.core(slot.units, slot.share);
    if (finals) finals->push_back(std::move(ends));
    core_tasks[b] = lowering.needed - before;
  }
  sim::check_size(lowering.needed, 0);
}

Lowered lower(const traces::Network& source, const IFamilyRules& rules) {
  LoweringPlan plan = plan_lowering(source, rules);
  Lowered low;
  const std::vector<CoreSlot> slots = add_units(plan, rules, low);
  add_tasks(plan, slots, low);
  return low;
}

}  // namespace rp::accel
