#include "accel_models/lowering/skeleton.h"

#include <map>

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

namespace {

// The double-buffered pipeline of one group on one core; returns the tasks that end it.
std::vector<sim::TaskId> add_pipeline(sim::TaskGraph& g, sim::TaskId dispatch, std::vector<Step>& steps, int32_t layer,
                                      bool buffer_wait_without_loads) {
  std::vector<sim::TaskId> compute_end, finals;
  for (size_t s = 0; s < steps.size(); ++s) {
    Step& st = steps[s];
    std::vector<sim::TaskId> wait{dispatch};
    if (s >= 2) wait.push_back(compute_end[s - 2]);
    std::vector<sim::TaskId> loaded;
    for (sim::Task& t : st.loads) {
      t.layer = layer;
      loaded.push_back(g.add(t, wait));
    }
    const std::vector<sim::TaskId> before =
        !loaded.empty() ? loaded : (buffer_wait_without_loads ? wait : std::vector<sim::TaskId>{dispatch});
    sim::TaskId last = -1;
    for (sim::Task& t : st.compute) {
      t.layer = layer;
      last = g.add(t, last < 0 ? before : std::vector<sim::TaskId>{last});
    }
    if (last < 0) last = loaded.empty() ? dispatch : loaded.back();
    compute_end.push_back(last);
    if (st.store) {
      st.store->layer = layer;
      last = g.add(*st.store, {last});
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
  CoreLowering(Lowered& low, const std::vector<FusionGroup>& groups, const std::vector<bool>& launches,
               const IGroupPlanner& planner, const SkeletonRules& sk)
      : low_(low), groups_(groups), launches_(launches), planner_(planner), sk_(sk) {}

  void core(const CoreUnits& u, const CoreShare& cs) {
    std::vector<std::vector<sim::TaskId>> done(groups_.size());  // last tasks of each group on this core
    std::vector<sim::TaskId> previous;                           // last tasks of the previous group (stream order)
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
      const sim::TaskId dispatch = low_.graph.add({u.dispatch, layer, kDispatch}, deps);
      done[gi] = add_pipeline(low_.graph, dispatch, steps, layer, sk_.buffer_wait_without_loads);
      previous = done[gi];
    }
  }

  int64_t needed = 0;  // tasks of the cores lowered so far, also those past the limit

 private:
  static int64_t task_count(const std::vector<Step>& steps) {
    int64_t n = 0;
    for (const Step& s : steps) n += static_cast<int64_t>(s.loads.size() + s.compute.size()) + (s.store ? 1 : 0);
    return n;
  }

  Lowered& low_;
  const std::vector<FusionGroup>& groups_;
  const std::vector<bool>& launches_;
  const IGroupPlanner& planner_;
  SkeletonRules sk_;
};

Lowered lower_network(const traces::Network& net, const IFamilyRules& rules) {
  Lowered low;
  const std::vector<FusionGroup> groups = fuse(net, rules.fusion_policy());
  const std::unique_ptr<IGroupPlanner> planner = rules.planner(net);
  std::vector<bool> launches;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const GroupPlan p = planner->plan(gi, groups[gi]);
    LoweredGroup lg{groups[gi].name, {}, p.unit, p.macs};
    for (int m : groups[gi].members) lg.members.push_back(net.layer(m).name);
    low.groups.push_back(std::move(lg));
    launches.push_back(p.launches);
  }

  const SkeletonRules sk = rules.skeleton();
  UnitSet units(low);
  CoreLowering lowering(low, groups, launches, *planner, sk);
  std::map<int64_t, int64_t> core_tasks;  // tasks of one core by its batch share: equal shares lower alike
  const int64_t batch = net.batch();
  for (int core = 0; core < sk.cores; ++core) {
    const int64_t b = share(batch, sk.cores, core);
    if (b == 0) continue;
    const auto known = core_tasks.find(b);
    if (lowering.needed > sim::kMaxTasks && known != core_tasks.end()) {
      lowering.needed += known->second;  // past the limit: only the count matters
      continue;
    }
    const int64_t before = lowering.needed;
    lowering.core(rules.add_core(units, core), {core, b, static_cast<double>(b) / static_cast<double>(batch)});
    core_tasks[b] = lowering.needed - before;
  }
  sim::check_size(lowering.needed, 0);
  return low;
}

}  // namespace

Lowered lower(const traces::Network& source, const IFamilyRules& rules) {
  const SkeletonRules sk = rules.skeleton();
  if (!sk.fused_attention && has_attention(source)) return lower_network(unfuse_attention(source), rules);
  return lower_network(source, rules);
}

}  // namespace rp::accel
