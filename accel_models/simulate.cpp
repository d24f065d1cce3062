#include "accel_models/simulate.h"

#include <algorithm>
#include <limits>
#include <map>

#include "accel_models/energy/energy_model.h"
#include "accel_models/memory_check.h"
#include "accel_models/run_figures.h"
#include "simulator/error.h"

namespace rp::accel {

namespace {

void fill_roofline(double w, double q, double seconds, double peak, double bw, double& intensity, double& eff) {
  intensity = q > 0 ? w / q : 0;
  const double ideal = sim::ideal_rate(peak, intensity, bw);
  eff = (seconds > 0 && ideal > 0) ? (w / seconds) / ideal : 0;
}

}  // namespace

const std::vector<std::string>& task_kind_names() {
  // In TaskKind order (accel_models/common/accelerator.h).
  static const std::vector<std::string> names{"compute", "load", "store", "dispatch", "l2_load"};
  return names;
}

sim::SimResult simulate(const traces::Network& net, const IAccelerator& acc, const SimOptions& options) {
  const MemoryCheck memory = check_memory(net, acc.info());
  if (!memory.fits) throw SimulationError(memory.reason);
  return simulate_lowered(acc.lower(net), net, acc.info(), options);
}

sim::SimResult simulate_lowered(Lowered low, const traces::Network& net, const AcceleratorInfo& info,
                                const SimOptions& options) {
  std::vector<sim::IUnitModel*> units;
  units.reserve(low.units.size());
  std::vector<sim::StatGroup> stats(low.units.size());  // each unit's registered counters, read after the run
  for (size_t u = 0; u < low.units.size(); ++u) {
    units.push_back(low.units[u].model.get());
    low.units[u].model->register_stats(stats[u]);
  }
  for (auto& m : low.memories) m->reset();
  sim::EngineResult er = sim::run(low.graph, units, options.observer);
  return assemble(run_figures(std::move(er), low, stats), low.units, low.groups, net, info);
}

RunFigures run_figures(sim::EngineResult er, const Lowered& low, const std::vector<sim::StatGroup>& stats) {
  RunFigures f;
  f.makespan = er.makespan;
  f.tasks = low.graph.size();
  // Per group: time span and HBM bytes moved by its loads and stores.
  const size_t ng = low.groups.size();
  f.group_start.assign(ng, std::numeric_limits<sim::Ps>::max());
  f.group_end.assign(ng, 0);
  f.group_bytes.assign(ng, 0);
  for (sim::TaskId t = 0; t < low.graph.size(); ++t) {
    const sim::Task& task = low.graph.task(t);
    if (task.layer < 0) continue;
    const auto g = static_cast<size_t>(task.layer);
    f.group_start[g] = std::min(f.group_start[g], er.tasks[static_cast<size_t>(t)].start);
    f.group_end[g] = std::max(f.group_end[g], er.tasks[static_cast<size_t>(t)].end);
    if (task.kind == kLoad || task.kind == kStore) f.group_bytes[g] += static_cast<double>(task.bytes);
    if (task.kind == kLoad || task.kind == kStore || task.kind == kL2Load) {
      f.transfer_bytes += static_cast<double>(task.bytes);
    }
  }
  f.units = std::move(er.units);
  f.stats.resize(stats.size());
  for (size_t u = 0; u < stats.size(); ++u) {
    stats[u].visit([&](const std::string& path, const std::string& description, const std::string& unit, double v) {
      f.stats[u].push_back({path, description, unit, v});
    });
  }
  for (const auto& m : low.memories)
    f.memories.push_back({m->name(), m->params().channels, m->channel_busy(), m->wait(), m->transfers()});
  return f;
}

sim::SimResult assemble(const RunFigures& f, const std::vector<LoweredUnit>& lunits,
                        const std::vector<LoweredGroup>& groups, const traces::Network& net,
                        const AcceleratorInfo& info, bool layers) {
  sim::SimResult r;
  r.model = net.name();
  r.accelerator = info.name;
  r.batch = net.batch();
  r.seq_len = net.seq_len();
  r.latency_ms = sim::ms(f.makespan);
  const double seconds = sim::seconds(f.makespan);
  r.throughput = seconds > 0 ? net.batch() / seconds : 0;
  r.flops = static_cast<double>(net.flops());
  r.peak_flops = info.peak_flops;
  r.hbm_bandwidth = info.hbm_bandwidth;
  r.tasks = f.tasks;
  const MemoryCheck memory = check_memory(net, info);
  r.weight_bytes = static_cast<double>(memory.footprint.weight_bytes);
  r.activation_bytes = static_cast<double>(memory.footprint.activation_bytes);
  r.kv_cache_bytes = static_cast<double>(memory.footprint.kv_cache_bytes);
  r.hbm_capacity = info.memory.hbm_capacity;
  r.hbm_capacity_fraction = memory.capacity > 0 ? memory.needed / memory.capacity : 0;

  if (layers) r.layers.reserve(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) {
    if (!layers) {
      r.hbm_bytes += f.group_bytes[g];  // the same sum, in the same order, as below
      continue;
    }
    const LoweredGroup& lg = groups[g];
    sim::LayerSummary l;
    l.name = lg.name;
    l.fused = lg.members;
    l.unit = lg.unit;
    l.macs = lg.macs;
    l.flops = 2.0 * lg.macs;
    l.hbm_bytes = f.group_bytes[g];
    if (f.group_end[g] > 0 || f.group_start[g] == 0) {
      l.start_ms = sim::ms(f.group_start[g] == std::numeric_limits<sim::Ps>::max() ? 0 : f.group_start[g]);
      l.end_ms = sim::ms(f.group_end[g]);
    }
    fill_roofline(l.flops, l.hbm_bytes, (l.end_ms - l.start_ms) * 1e-3, info.peak_flops, info.hbm_bandwidth,
                  l.intensity, l.efficiency);
    r.hbm_bytes += f.group_bytes[g];
    r.layers.push_back(std::move(l));
  }
  fill_roofline(r.flops, r.hbm_bytes, seconds, info.peak_flops, info.hbm_bandwidth, r.intensity, r.efficiency);
  r.achieved_flops = seconds > 0 ? r.flops / seconds : 0;
  r.ideal_flops = sim::ideal_rate(info.peak_flops, r.intensity, info.hbm_bandwidth);
  r.hbm_achieved_bandwidth = seconds > 0 ? r.hbm_bytes / seconds : 0;

  // Units aggregated by kind, in first-seen order; HBM channels reported as one more kind.
  // Per instance as well (index == UnitId), memories after the units.
  std::map<std::string, size_t> index;
  auto summary = [&](const std::string& kind, const std::string& parent, bool headline) -> sim::UnitSummary& {
    const auto it = index.find(kind);
    if (it != index.end()) return r.units[it->second];
    index.emplace(kind, r.units.size());
    sim::UnitSummary u;
    u.name = kind;
    u.parent = parent;
    u.headline = headline;
    r.units.push_back(std::move(u));
    return r.units.back();
  };
  r.instances.reserve(lunits.size() + f.memories.size());
  for (size_t u = 0; u < lunits.size(); ++u) {
    const std::string& kind = lunits[u].kind;
    const sim::UnitRecord& ur = f.units[u];
    r.instances.push_back({ur.name, kind, 1, sim::ms(ur.busy), sim::ms(ur.wait), ur.tasks});
    sim::UnitSummary& s = summary(kind, "", lunits[u].headline);
    s.instances += 1;
    s.busy_ms += sim::ms(ur.busy);
    s.contention_ms += sim::ms(ur.wait);
    s.tasks += ur.tasks;
  }
  // The units' own counters: a child group with busy_ms is a datapath reported as "<kind>.<child>"; any other
  // counter is summed into its unit's stats.
  for (size_t u = 0; u < lunits.size() && u < f.stats.size(); ++u) {
    const std::string& kind = lunits[u].kind;
    for (const StatRow& row : f.stats[u]) {
      const std::string& path = row.path;
      const size_t dot = path.rfind('.');
      if (dot != std::string::npos && path.compare(dot + 1, std::string::npos, "busy_ms") == 0) {
        sim::UnitSummary& d = summary(kind + "." + path.substr(0, dot), kind, lunits[u].headline);
        d.instances += 1;
        d.busy_ms += row.value;
        continue;
      }
      auto& list = r.units[index[kind]].stats;
      bool found = false;
      for (auto& st : list) {
        if (st.name == path) {
          st.value += row.value;
          found = true;
          break;
        }
      }
      if (!found) list.push_back({path, row.unit, row.description, row.value});
    }
  }
  // Datapaths right after their unit.
  std::vector<sim::UnitSummary> ordered;
  ordered.reserve(r.units.size() + 1);
  for (const auto& u : r.units) {
    if (!u.parent.empty()) continue;
    ordered.push_back(u);
    for (const auto& d : r.units) {
      if (d.parent == u.name) ordered.push_back(d);
    }
  }
  r.units = std::move(ordered);
  if (!f.memories.empty()) {
    sim::UnitSummary hbm;
    hbm.name = "hbm";
    for (const auto& m : f.memories) {
      hbm.instances += m.channels;
      hbm.busy_ms += sim::ms(m.busy);
      hbm.contention_ms += sim::ms(m.wait);
      hbm.tasks += m.transfers;
      r.instances.push_back({m.name, "hbm", m.channels, sim::ms(m.busy), sim::ms(m.wait), m.transfers});
    }
    r.units.push_back(hbm);
  }
  for (auto& s : r.units) {
    s.busy_fraction = (r.latency_ms > 0 && s.instances > 0) ? s.busy_ms / (s.instances * r.latency_ms) : 0;
  }
  apply_energy(r, energy_counters(r, f.transfer_bytes), info.energy);
  r.area_mm2 = info.area.total_mm2;
  return r;
}

}  // namespace rp::accel
