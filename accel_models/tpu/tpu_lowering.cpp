#include "accel_models/tpu/tpu_lowering.h"

#include <algorithm>
#include <cmath>

#include "accel_models/dma/dma_engine.h"
#include "simulator/error.h"

namespace rp::accel {

using traces::Layer;
using traces::LayerKind;

FusionPolicy tpu_fusion_policy(const TpuLoweringParams& p) {
  FusionPolicy f;
  f.fuse_elementwise = p.fuse_elementwise;
  f.fuse_reductions = p.fuse_reductions;
  f.fuse_input_elementwise = p.fuse_input_elementwise;
  return f;
}

namespace {

// With vector_lane_padding, channels map to the VPU's lanes: C channels occupy ceil(C / lanes) full lane rows,
// so a 32-channel tensor keeps 3/4 of the lanes idle (like the MXU's padding of K and N).
double vector_ops(const traces::Network& net, const Layer& l, const TpuConfig& c) {
  const double ops = c.vector.costs.layer_ops(net, l, c.lowering.fold_batch_norm, c.lowering.depthwise_on_vector_unit);
  if (!c.lowering.vector_lane_padding || ops == 0) return ops;
  const int64_t lanes = c.vector.lanes, ch = std::max<int64_t>(1, l.output.c);
  return ops * static_cast<double>((ch + lanes - 1) / lanes * lanes) / static_cast<double>(ch);
}

bool on_matrix_unit(const Layer& l, const TpuConfig& c) {
  if (l.kind == LayerKind::kDense) return true;
  return l.kind == LayerKind::kConv2D && !(l.is_depthwise() && c.lowering.depthwise_on_vector_unit);
}

}  // namespace

TpuGroupWork tpu_group_work(const traces::Network& net, const FusionGroup& g, const TpuConfig& c) {
  TpuGroupWork w;
  const int bytes = traces::dtype_bytes(net.dtype());
  for (int id : g.members) {
    const Layer& l = net.layer(id);
    w.macs += l.macs;
    const bool prologue = std::find(g.prologue.begin(), g.prologue.end(), id) != g.prologue.end();
    if (on_matrix_unit(l, c)) {
      const traces::Shape in = net.layer(l.inputs[0]).output;
      const int64_t groups = l.kind == LayerKind::kDense ? 1 : l.conv.groups;
      w.m = l.output.n * l.output.h * l.output.w;
      w.k = l.kind == LayerKind::kDense ? in.c : int64_t{l.conv.kernel_h} * l.conv.kernel_w * (in.c / groups);
      w.n = l.conv.filters / groups;
      w.gemm_groups = groups;
    }
    if (l.kind == LayerKind::kConv2D || l.kind == LayerKind::kDense) {
      w.weight_bytes += static_cast<double>(l.params) * bytes;
    }
    (prologue ? w.vector_prologue_ops : w.vector_ops) += vector_ops(net, l, c);
  }
  for (int p : g.external_inputs) w.in_bytes += static_cast<double>(net.output_bytes(p));
  for (int o : g.outputs) w.out_bytes += static_cast<double>(net.output_bytes(o));
  // Tiling grain: rows (N x H) of the group's largest tensor, so a tile is at least one row of everything.
  w.rows = 1;
  for (int id : g.members) w.rows = std::max(w.rows, net.layer(id).output.n * net.layer(id).output.h);
  for (int p : g.external_inputs) w.rows = std::max(w.rows, net.layer(p).output.n * net.layer(p).output.h);
  w.unit = w.m > 0 ? "matrix" : (w.vector_ops + w.vector_prologue_ops > 0 ? "vector" : "dma");
  return w;
}

namespace {

struct CoreUnits {
  sim::UnitId sequencer, matrix, vector;
  std::vector<sim::UnitId> reads, writes;
};

CoreUnits add_core(Lowered& low, const TpuConfig& c, int core) {
  const std::string p = "core" + std::to_string(core) + ".";
  low.memories.push_back(std::make_unique<HbmModel>(p + "hbm", c.hbm));
  HbmModel& hbm = *low.memories.back();
  auto add = [&](std::unique_ptr<sim::IUnitModel> m, const std::string& kind) {
    low.units.push_back({std::move(m), kind});
    return static_cast<sim::UnitId>(low.units.size() - 1);
  };
  CoreUnits u;
  u.sequencer = add(std::make_unique<Sequencer>(p + "sequencer", c.sequencer), "sequencer");
  u.matrix = add(std::make_unique<SystolicArray>(p + "matrix", c.matrix), "matrix");
  u.vector = add(std::make_unique<VectorUnit>(p + "vector", c.vector), "vector");
  for (int i = 0; i < c.dma.read_engines; ++i) {
    u.reads.push_back(add(std::make_unique<DmaEngine>(p + "dma_read" + std::to_string(i), c.dma, hbm), "dma_read"));
  }
  for (int i = 0; i < c.dma.write_engines; ++i) {
    u.writes.push_back(add(std::make_unique<DmaEngine>(p + "dma_write" + std::to_string(i), c.dma, hbm), "dma_write"));
  }
  return u;
}

// Splits `total` into `parts` near-equal integer shares; share i.
int64_t share(int64_t total, int64_t parts, int64_t i) { return total / parts + (i < total % parts ? 1 : 0); }

}  // namespace

Lowered lower_tpu(const traces::Network& net, const TpuConfig& c) {
  Lowered low;
  const std::vector<FusionGroup> groups = fuse(net, tpu_fusion_policy(c.lowering));
  std::vector<TpuGroupWork> work;
  for (const auto& g : groups) {
    work.push_back(tpu_group_work(net, g, c));
    LoweredGroup lg{g.name, {}, work.back().unit, work.back().macs};
    for (int m : g.members) lg.members.push_back(net.layer(m).name);
    low.groups.push_back(std::move(lg));
  }

  const int64_t batch = net.batch();
  const int cores = c.lowering.split_batch_across_cores ? c.cores : 1;
  const double vmem = static_cast<double>(c.vmem_bytes);
  for (int core = 0; core < cores; ++core) {
    const int64_t b = share(batch, cores, core);
    if (b == 0) continue;
    const double frac = static_cast<double>(b) / static_cast<double>(batch);
    const CoreUnits u = add_core(low, c, core);
    std::vector<std::vector<sim::TaskId>> done(groups.size());  // last tasks of each group on this core
    for (size_t gi = 0; gi < groups.size(); ++gi) {
      const TpuGroupWork& w = work[gi];
      const auto layer = static_cast<int32_t>(gi);
      // Tiling: weights in chunks of at most weight_buffer_fraction of VMEM; activation tiles double-buffered.
      const double weight_budget = vmem * c.lowering.weight_buffer_fraction;
      const int64_t chunks = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(w.weight_bytes / weight_budget)));
      const double act_budget = (vmem - std::min(w.weight_bytes, weight_budget)) / 2.0;
      const double in_core = w.in_bytes * frac, out_core = w.out_bytes * frac;
      const int64_t rows = std::max<int64_t>(1, static_cast<int64_t>(std::llround(w.rows * frac)));
      const double stream = in_core + out_core / chunks;
      if (stream / rows > act_budget) {
        throw SimulationError("layer '" + groups[gi].name + "' does not fit in vector memory: one output row needs " +
                              std::to_string(static_cast<int64_t>(stream / rows)) + " bytes of tile buffers, " +
                              std::to_string(static_cast<int64_t>(act_budget)) +
                              " available (vector_memory.capacity_mib)");
      }
      int64_t tiles = std::max<int64_t>(c.lowering.min_tiles, static_cast<int64_t>(std::ceil(stream / act_budget)));
      tiles = std::min({tiles, rows, static_cast<int64_t>(c.lowering.max_tiles)});
      const int64_t m_core = static_cast<int64_t>(std::llround(w.m * frac));
      const int64_t n_chunk = (w.n + chunks - 1) / chunks;

      std::vector<sim::TaskId> deps;
      for (int dg : groups[gi].deps) deps.insert(deps.end(), done[static_cast<size_t>(dg)].begin(), done[static_cast<size_t>(dg)].end());
      const sim::TaskId dispatch = low.graph.add({u.sequencer, layer, kDispatch}, deps);
      std::vector<sim::TaskId> compute_end, finals;
      const int64_t steps = chunks * tiles;
      for (int64_t s = 0; s < steps; ++s) {
        const int64_t i = s % tiles;
        sim::TaskId last = dispatch;
        const int64_t in_bytes = static_cast<int64_t>(in_core / tiles) +
                                 (i == 0 ? static_cast<int64_t>(w.weight_bytes / chunks) : 0);
        if (in_bytes > 0) {
          std::vector<sim::TaskId> ld{dispatch};
          if (s >= 2) ld.push_back(compute_end[static_cast<size_t>(s - 2)]);
          sim::Task t{u.reads[static_cast<size_t>(s) % u.reads.size()], layer, kLoad};
          t.bytes = in_bytes;
          last = low.graph.add(t, ld);
        }
        if (w.vector_prologue_ops > 0) {
          sim::Task t{u.vector, layer, kCompute};
          t.ops = w.vector_prologue_ops * frac / steps;
          last = low.graph.add(t, {last});
        }
        if (m_core > 0) {
          sim::Task t{u.matrix, layer, kCompute};
          t.m = share(m_core, tiles, i);
          t.k = w.k;
          t.n = n_chunk;
          t.aux = static_cast<int32_t>(w.gemm_groups);
          last = low.graph.add(t, {last});
        }
        if (w.vector_ops > 0) {
          sim::Task t{u.vector, layer, kCompute};
          t.ops = w.vector_ops * frac / steps;
          last = low.graph.add(t, {last});
        }
        compute_end.push_back(last);
        const int64_t out_bytes = static_cast<int64_t>(out_core / steps);
        if (out_bytes > 0) {
          sim::Task t{u.writes[static_cast<size_t>(s) % u.writes.size()], layer, kStore};
          t.bytes = out_bytes;
          last = low.graph.add(t, {last});
        }
        finals.push_back(last);
      }
      done[gi] = std::move(finals);
    }
  }
  return low;
}

}  // namespace rp::accel
