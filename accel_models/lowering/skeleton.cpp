#include "accel_models/lowering/skeleton.h"

#include "accel_models/dma/dma_engine.h"

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
  for (int i = 0; i < count; ++i) ids.push_back(add(std::make_unique<DmaEngine>(prefix + kind + std::to_string(i), p, hbm), kind));
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

}  // namespace

Lowered lower(const traces::Network& net, const IFamilyRules& rules) {
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
  const int64_t batch = net.batch();
  for (int core = 0; core < sk.cores; ++core) {
    const int64_t b = share(batch, sk.cores, core);
    if (b == 0) continue;
    const CoreShare cs{core, b, static_cast<double>(b) / static_cast<double>(batch)};
    const CoreUnits u = rules.add_core(units, core);
    std::vector<std::vector<sim::TaskId>> done(groups.size());  // last tasks of each group on this core
    std::vector<sim::TaskId> previous;                           // last tasks of the previous group (stream order)
    for (size_t gi = 0; gi < groups.size(); ++gi) {
      if (!launches[gi]) continue;
      const auto layer = static_cast<int32_t>(gi);
      std::vector<sim::TaskId> deps = previous;
      if (!sk.stream_order) {
        deps.clear();
        for (int dg : groups[gi].deps) {
          const auto& d = done[static_cast<size_t>(dg)];
          deps.insert(deps.end(), d.begin(), d.end());
        }
      }
      const sim::TaskId dispatch = low.graph.add({u.dispatch, layer, kDispatch}, deps);
      std::vector<Step> steps = planner->steps(gi, u, cs);
      done[gi] = add_pipeline(low.graph, dispatch, steps, layer, sk.buffer_wait_without_loads);
      previous = done[gi];
    }
  }
  return low;
}

}  // namespace rp::accel
