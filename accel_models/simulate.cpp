#include "accel_models/simulate.h"

#include <algorithm>
#include <limits>
#include <map>

#include "accel_models/energy/energy_model.h"
#include "accel_models/memory_check.h"
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
  std::vector<sim::StatGroup> stats(low.units.size());  // each unit's registered counters, read after the run
  for (size_t u = 0; u < low.units.size(); ++u) {
    units.push_back(low.units[u].model.get());
    low.units[u].model->register_stats(stats[u]);
  }
  for (auto& m : low.memories) m->reset();
  const sim::EngineResult er = sim::run(low.graph, units, options.observer);

  sim::SimResult r;
  r.model = net.name();
  r.accelerator = info.name;
  r.batch = net.batch();
  r.latency_ms = sim::ms(er.makespan);
  const double seconds = sim::seconds(er.makespan);
  r.throughput = seconds > 0 ? net.batch() / seconds : 0;
  r.flops = static_cast<double>(net.flops());
  r.peak_flops = info.peak_flops;
  r.hbm_bandwidth = info.hbm_bandwidth;
  r.tasks = low.graph.size();
  const MemoryCheck memory = check_memory(net, info);
  r.weight_bytes = static_cast<double>(memory.footprint.weight_bytes);
  r.activation_bytes = static_cast<double>(memory.footprint.activation_bytes);
  r.kv_cache_bytes = static_cast<double>(memory.footprint.kv_cache_bytes);
  r.hbm_capacity = info.memory.hbm_capacity;
  r.hbm_capacity_fraction = memory.capacity > 0 ? memory.needed / memory.capacity : 0;

  // Per group: time span and HBM bytes moved by its loads and stores.
  const size_t ng = low.groups.size();
  std::vector<sim::Ps> start(ng, std::numeric_limits<sim::Ps>::max()), end(ng, 0);
  std::vector<double> bytes(ng, 0);
  double transfer_bytes = 0;  // on-chip side of HBM transfers and L2-served loads (energy_model.h)
  for (sim::TaskId t = 0; t < low.graph.size(); ++t) {
    const sim::Task& task = low.graph.task(t);
    if (task.layer < 0) continue;
    const auto g = static_cast<size_t>(task.layer);
    start[g] = std::min(start[g], er.tasks[static_cast<size_t>(t)].start);
    end[g] = std::max(end[g], er.tasks[static_cast<size_t>(t)].end);
    if (task.kind == kLoad || task.kind == kStore) bytes[g] += static_cast<double>(task.bytes);
    if (task.kind == kLoad || task.kind == kStore || task.kind == kL2Load) {
      transfer_bytes += static_cast<double>(task.bytes);
    }
  }
  for (size_t g = 0; g < ng; ++g) {
    const LoweredGroup& lg = low.groups[g];
    sim::LayerSummary l;
    l.name = lg.name;
    l.fused = lg.members;
    l.unit = lg.unit;
    l.macs = lg.macs;
    l.flops = 2.0 * lg.macs;
    l.hbm_bytes = bytes[g];
    if (end[g] > 0 || start[g] == 0) {
      l.start_ms = sim::ms(start[g] == std::numeric_limits<sim::Ps>::max() ? 0 : start[g]);
      l.end_ms = sim::ms(end[g]);
    }
    fill_roofline(l.flops, l.hbm_bytes, (l.end_ms - l.start_ms) * 1e-3, info.peak_flops, info.hbm_bandwidth,
                  l.intensity, l.efficiency);
    r.hbm_bytes += bytes[g];
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
    if (!index.count(kind)) {
      index[kind] = r.units.size();
      sim::UnitSummary u;
      u.name = kind;
      u.parent = parent;
      u.headline = headline;
      r.units.push_back(u);
    }
    return r.units[index[kind]];
  };
  for (size_t u = 0; u < low.units.size(); ++u) {
    const std::string& kind = low.units[u].kind;
    r.instances.push_back(
        {er.units[u].name, kind, 1, sim::ms(er.units[u].busy), sim::ms(er.units[u].wait), er.units[u].tasks});
    sim::UnitSummary& s = summary(kind, "", low.units[u].headline);
    s.instances += 1;
    s.busy_ms += sim::ms(er.units[u].busy);
    s.contention_ms += sim::ms(er.units[u].wait);
    s.tasks += er.units[u].tasks;
  }
  // The units' own counters: a child group with busy_ms is a datapath reported as "<kind>.<child>"; any other
  // counter is summed into its unit's stats.
  for (size_t u = 0; u < low.units.size(); ++u) {
    const std::string& kind = low.units[u].kind;
    stats[u].visit([&](const std::string& path, const std::string& description, const std::string& unit, double v) {
      const size_t dot = path.rfind('.');
      if (dot != std::string::npos && path.substr(dot + 1) == "busy_ms") {
        sim::UnitSummary& d = summary(kind + "." + path.substr(0, dot), kind, low.units[u].headline);
        d.instances += 1;
        d.busy_ms += v;
        return;
      }
      auto& list = r.units[index[kind]].stats;
      for (auto& st : list) {
        if (st.name == path) return void(st.value += v);
      }
      list.push_back({path, unit, description, v});
    });
  }
  // Datapaths right after their unit.
  std::vector<sim::UnitSummary> ordered;
  for (const auto& u : r.units) {
    if (!u.parent.empty()) continue;
    ordered.push_back(u);
    for (const auto& d : r.units) {
      if (d.parent == u.name) ordered.push_back(d);
    }
  }
  r.units = std::move(ordered);
  if (!low.memories.empty()) {
    sim::UnitSummary hbm;
    hbm.name = "hbm";
    for (const auto& m : low.memories) {
      hbm.instances += m->params().channels;
      hbm.busy_ms += sim::ms(m->channel_busy());
      hbm.contention_ms += sim::ms(m->wait());
      hbm.tasks += m->transfers();
      r.instances.push_back(
          {m->name(), "hbm", m->params().channels, sim::ms(m->channel_busy()), sim::ms(m->wait()), m->transfers()});
    }
    r.units.push_back(hbm);
  }
  for (auto& s : r.units) {
    s.busy_fraction = (r.latency_ms > 0 && s.instances > 0) ? s.busy_ms / (s.instances * r.latency_ms) : 0;
  }
  apply_energy(r, energy_counters(r, transfer_bytes), info.energy);
  r.area_mm2 = info.area.total_mm2;
  return r;
}

}  // namespace rp::accel
