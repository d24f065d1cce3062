#include "accel_models/tpu/tpu_lowering.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "accel_models/common/family.h"
#include "accel_models/common/registry.h"
#include "accel_models/lowering/attention.h"
#include "accel_models/lowering/element_ops.h"
#include "accel_models/lowering/gemm_shape.h"
#include "accel_models/lowering/layout.h"
#include "accel_models/matrix_unit/systolic_array.h"
#include "accel_models/vector_unit/vector_unit.h"
#include "simulator/engine.h"
#include "simulator/error.h"

namespace rp::accel {

using traces::Layer;
using traces::LayerKind;

namespace {

// With vector_lane_padding, channels map to the VPU's lanes: C channels occupy ceil(C / lanes) full lane rows,
// so a 32-channel tensor keeps 3/4 of the lanes idle (like the MXU's padding of K and N).
// Attention's vector work is over its scores, whose last dimension is the keys.
double vector_ops(const traces::Network& net, int id, bool free, const TpuConfig& c) {
  const Layer& l = net.layer(id);
  const double ops = layout_element_ops(net, id, free, c.vector.costs, c.lowering.fold_batch_norm,
                                        c.lowering.depthwise_on_vector_unit);
  if (!c.lowering.vector_lane_padding || ops == 0) return ops;
  const int64_t last = l.kind == LayerKind::kAttention ? net.layer(l.inputs[1]).output.w + l.cache_len : l.output.c;
  const int64_t lanes = c.vector.lanes, ch = std::max<int64_t>(1, last);
  return ops * static_cast<double>((ch + lanes - 1) / lanes * lanes) / static_cast<double>(ch);
}

bool on_matrix_unit(const Layer& l, const TpuConfig& c) {
  if (l.kind == LayerKind::kDense || l.kind == LayerKind::kMatMul || l.kind == LayerKind::kAttention) return true;
  return l.kind == LayerKind::kConv2D && !(l.is_depthwise() && c.lowering.depthwise_on_vector_unit);
}

// grouped_conv_expand: a grouped conv on the matrix unit with few input channels per group becomes one dense conv
// whose filter is block-diagonal (XLA's filter expansion, docs/tpu-model.md "Grouped convolution (XLA)").
bool expanded_conv(const traces::Network& net, const Layer& l, const TpuConfig& c) {
  if (!c.lowering.grouped_conv_expand || l.kind != LayerKind::kConv2D || l.conv.groups <= 1) return false;
  return net.layer(l.inputs[0]).output.c / l.conv.groups <= c.lowering.grouped_conv_expand_max_width;
}

// The zeros an expanded filter adds: (groups - 1) x kh x kw x (Cin / groups) x filters elements.
double expansion_weights(const traces::Network& net, const Layer& l) {
  const int64_t per_group_in = net.layer(l.inputs[0]).output.c / l.conv.groups;
  return static_cast<double>(l.conv.groups - 1) * l.conv.kernel_h * l.conv.kernel_w * per_group_in * l.conv.filters;
}

void set_gemm(TpuGroupWork& w, const traces::Network& net, const Layer& l, const TpuConfig& c) {
  GemmShape s = gemm_shape(net, l);
  if (expanded_conv(net, l, c)) {  // one GEMM: K = kh x kw x Cin, N = filters (groups x the useful MACs)
    s.k *= s.groups;
    s.n *= s.groups;
    s.groups = 1;
  }
  if (s.groups > std::numeric_limits<int32_t>::max()) {  // a task carries its groups as an int32
    throw SimulationError("layer '" + l.name + "' is " + std::to_string(s.groups) +
                          " independent GEMMs, more than the matrix unit's limit of 2147483647 per layer");
  }
  w.m = s.m;
  w.k = s.k;
  w.n = s.n;
  w.gemm_groups = s.groups;
  w.batched = s.batched;
  const int64_t taps = l.kind == LayerKind::kConv2D ? int64_t{l.conv.kernel_h} * l.conv.kernel_w : 1;
  if (c.lowering.conv_per_tap && taps > 1) {  // each tap its own pass over K = Cin / groups, accumulated
    w.k = s.k / taps;
    w.gemm_groups = s.groups * taps;
  }
}

// The rows a tensor is tiled by: N x H of an image; of a sequence (N, 1, S, C) its N x S positions.
int64_t tile_rows(const traces::Shape& s) { return s.h > 1 ? s.n * s.h : s.n * s.w; }

enum CoreUnit { kMatrix = 0, kVector = 1 };  // CoreUnits::compute order

class TpuPlanner : public IGroupPlanner {
 public:
  TpuPlanner(const traces::Network& net, const TpuConfig& c) : net_(net), c_(c), consumers_(net.consumers()) {}

  GroupPlan plan(size_t gi, const FusionGroup& g) override {
    work_.push_back(tpu_group_work(net_, g, c_, consumers_));
    anchors_.push_back(g.anchor);  // its name (g.name) read only for an error
    prefetch_.push_back(false);
    const bool launches = work_.back().unit != "none";
    if (launches) {
      if (previous_ >= 0) {
        if (c_.lowering.activation_residency) keep_on_chip(g);
        // Both fusions' weights in the weight buffer at once: this one's loads while the previous one runs.
        prefetch_.back() =
            c_.lowering.weight_prefetch && work_.back().weight_bytes > 0 &&
            held_weights(work_[static_cast<size_t>(previous_)]) + work_.back().weight_bytes <= weight_budget();
      }
      previous_ = static_cast<int>(gi);
      previous_outputs_ = g.outputs;
    }
    return {work_.back().unit, work_.back().macs, launches};
  }

  std::vector<Step> steps(size_t gi, const CoreUnits& u, const CoreShare& core) const override {
    const TpuGroupWork& w = work_[gi];
    const double frac = core.fraction;
    // Tiling: weights in chunks of at most weight_buffer_fraction of VMEM; activation tiles double-buffered.
    const double vmem = std::floor(c_.vmem_bytes);
    const double weight_budget = vmem * c_.lowering.weight_buffer_fraction;
    const int64_t chunks = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(w.weight_bytes / weight_budget)));
    const double act_budget = (vmem - std::min(w.weight_bytes, weight_budget)) / 2.0;
    const double in_core = w.in_bytes * frac + w.shared_in_bytes, out_core = w.out_bytes * frac;
    const int64_t rows = std::max<int64_t>(1, static_cast<int64_t>(std::llround(w.rows * frac)));
    // A batched GEMM splits its batch elements (groups) over cores and tiles; any other splits its rows (M).
    const int64_t groups_core =
        w.batched ? std::max<int64_t>(1, std::llround(static_cast<double>(w.gemm_groups) * frac)) : w.gemm_groups;
    const double stream = in_core + out_core / chunks;
    if (stream / rows > act_budget) {
      throw SimulationError(
          "layer '" + net_.layer(anchors_[gi]).name + "' does not fit in vector memory: one output row needs " +
          std::to_string(static_cast<int64_t>(stream / rows)) + " bytes of tile buffers, " +
          std::to_string(static_cast<int64_t>(act_budget)) + " available (vector_memory.capacity_mib)");
    }
    int64_t tiles = std::max<int64_t>(c_.lowering.min_tiles, static_cast<int64_t>(std::ceil(stream / act_budget)));
    tiles = std::min({tiles, rows, static_cast<int64_t>(c_.lowering.max_tiles)});
    if (w.batched) tiles = std::min(tiles, groups_core);
    const int64_t m_core = w.batched ? w.m : static_cast<int64_t>(std::llround(w.m * frac));
    const int64_t n_chunk = (w.n + chunks - 1) / chunks;

    const int64_t count = chunks * tiles;
    if (count > sim::kMaxTasks) {  // refused before the steps are allocated (each step is at least one task)
      throw SimulationError("layer '" + net_.layer(anchors_[gi]).name + "' needs " + std::to_string(count) +
                            " tiles (" + std::to_string(chunks) + " weight chunks x " + std::to_string(tiles) +
                            "), more than the limit of " + std::to_string(sim::kMaxTasks) +
                            " tasks per simulation: raise stack.lowering.weight_buffer_fraction or " +
                            "vector_memory.capacity_mib");
    }
    std::vector<Step> out(static_cast<size_t>(count));
    for (int64_t s = 0; s < count; ++s) {
      Step& st = out[static_cast<size_t>(s)];
      const int64_t i = s % tiles;
      const auto weights = i == 0 ? static_cast<int64_t>(w.weight_bytes / chunks) : 0;
      const bool prefetch = s == 0 && prefetch_[gi] && weights > 0;  // one chunk (plan()): only step 0 loads weights
      if (prefetch) {
        sim::Task t{u.reads[static_cast<size_t>(u.reads.size() - 1)], -1,
                    kLoad};  // the last engine: step 0 the first's
        t.bytes = weights;
        st.prefetch = t;
      }
      const int64_t in_bytes = static_cast<int64_t>(in_core / tiles) + (prefetch ? 0 : weights);
      if (in_bytes > 0) {
        sim::Task t{u.reads[static_cast<size_t>(s) % u.reads.size()], -1, kLoad};
        t.bytes = in_bytes;
        st.loads.push_back(t);
      }
      if (w.vector_prologue_ops > 0) {
        sim::Task t{u.compute[kVector], -1, kCompute};
        t.ops = w.vector_prologue_ops * frac / count;
        st.compute.push_back(t);
      }
      if (m_core > 0) {
        sim::Task t{u.compute[kMatrix], -1, kCompute};
        t.m = w.batched ? m_core : share(m_core, tiles, i);
        t.k = w.k;
        t.n = n_chunk;
        t.aux = static_cast<int32_t>(w.batched ? share(groups_core, tiles, i) : groups_core);
        st.compute.push_back(t);
      }
      if (w.vector_ops > 0) {
        sim::Task t{u.compute[kVector], -1, kCompute};
        t.ops = w.vector_ops * frac / count;
        st.compute.push_back(t);
      }
      const int64_t out_bytes = static_cast<int64_t>(out_core / count);
      if (out_bytes > 0) {
        sim::Task t{u.writes[static_cast<size_t>(s) % u.writes.size()], -1, kStore};
        t.bytes = out_bytes;
        st.store = t;
      }
    }
    return out;
  }

  // steps() reads the group's work (all of TpuGroupWork but its MACs and unit name) and the share.
  void key(size_t gi, const CoreShare& core, std::string& k) const override {
    const TpuGroupWork& w = work_[gi];
    for (int64_t v : {w.m, w.k, w.n, w.gemm_groups, w.rows, int64_t{w.batched}}) append_key(k, v);
    for (double v : {w.vector_prologue_ops, w.vector_ops, w.in_bytes, w.out_bytes, w.weight_bytes, w.shared_in_bytes})
      append_key(k, v);
    append_key(k, core);
    append_key(k, static_cast<int32_t>(prefetch_[gi]));
  }

 private:
  double weight_budget() const { return std::floor(c_.vmem_bytes) * c_.lowering.weight_buffer_fraction; }
  // The weights a fusion keeps in vector memory while it runs: all of them, or one chunk of the weight buffer.
  double held_weights(const TpuGroupWork& w) const { return std::min(w.weight_bytes, weight_budget()); }

  // activation_residency: each tensor the previous launched fusion writes and only `g` reads stays in vector memory
  // while it and what is already kept, with the larger of the two fusions' held weights, fit residency_fraction of
  // it on the core with the largest share of the batch. Neither its store nor its load is issued.
  void keep_on_chip(const FusionGroup& g) {
    TpuGroupWork& consumer = work_.back();
    TpuGroupWork& producer = work_[static_cast<size_t>(previous_)];
    const int64_t batch = net_.batch();
    const int64_t cores = c_.lowering.split_batch_across_cores ? c_.cores : 1;
    const double largest_share = static_cast<double>(share(batch, cores, 0)) / static_cast<double>(batch);
    const double room = std::floor(c_.vmem_bytes) * c_.lowering.residency_fraction -
                        std::max(held_weights(producer), held_weights(consumer));
    double kept = 0;
    for (int p : g.external_inputs) {
      if (std::find(previous_outputs_.begin(), previous_outputs_.end(), p) == previous_outputs_.end()) continue;
      if (net_.layer(p).output.n == 1 && batch > 1) continue;  // an operand shared by every core: not an activation
      const auto readers = consumers_[static_cast<size_t>(p)];
      const bool only_g = std::all_of(readers.begin(), readers.end(), [&](int r) {
        return std::find(g.members.begin(), g.members.end(), r) != g.members.end();
      });
      const auto bytes = static_cast<double>(net_.output_bytes(p));
      if (!only_g || kept + bytes * largest_share > room) continue;
      kept += bytes * largest_share;
      consumer.in_bytes -= bytes;
      producer.out_bytes -= bytes;
    }
  }

  const traces::Network& net_;
  const TpuConfig& c_;
  traces::Consumers consumers_;
  std::vector<TpuGroupWork> work_;
  std::vector<int> anchors_;           // per group: its anchor layer, which names it
  std::vector<bool> prefetch_;         // per group: its weights load while the previous launched group runs
  int previous_ = -1;                  // the last launched group planned
  std::vector<int> previous_outputs_;  // its outputs
};

class TpuRules : public IFamilyRules {
 public:
  explicit TpuRules(const TpuConfig& c) : c_(c) {}

  FusionPolicy fusion_policy() const override {
    FusionPolicy f;
    f.fuse_elementwise = c_.lowering.fuse_elementwise;
    f.fuse_reductions = c_.lowering.fuse_reductions;
    f.fuse_input_elementwise = c_.lowering.fuse_input_elementwise;
    return f;
  }

  SkeletonRules skeleton() const override {
    return {c_.lowering.split_batch_across_cores ? c_.cores : 1, false, false, c_.lowering.fused_attention,
            c_.lowering.weight_prefetch};
  }

  CoreUnits add_core(UnitSet& set, int core) const override {
    const std::string p = "core" + std::to_string(core) + ".";
    HbmModel& hbm = set.add_memory(p + "hbm", c_.hbm_core);
    CoreUnits u;
    u.dispatch = set.add(std::make_unique<Sequencer>(p + "sequencer", c_.sequencer), "sequencer");
    u.compute.push_back(set.add(std::make_unique<SystolicArray>(p + "matrix", c_.matrix), "matrix", true));
    u.compute.push_back(set.add(std::make_unique<VectorUnit>(p + "vector", c_.vector), "vector", true));
    u.reads = set.add_dma(p, "dma_read", c_.dma.read_engines, c_.dma, hbm);
    u.writes = set.add_dma(p, "dma_write", c_.dma.write_engines, c_.dma, hbm);
    return u;
  }

  std::unique_ptr<IGroupPlanner> planner(const traces::Network& net) const override {
    return std::make_unique<TpuPlanner>(net, c_);
  }

 private:
  TpuConfig c_;
};

}  // namespace

TpuGroupWork tpu_group_work(const traces::Network& net, const FusionGroup& g, const TpuConfig& c,
                            const traces::Consumers& consumers) {
  TpuGroupWork w;
  const int bytes = traces::dtype_bytes(net.dtype());
  bool all_free = true;
  for (int id : g.members) {
    const Layer& l = net.layer(id);
    const bool free = free_layout(net, id, consumers, Layout::kTiled) ||
                      (c.lowering.concat_in_place && concat_in_place(net, id, consumers, Layout::kTiled));
    all_free = all_free && free;
    w.macs += l.macs;
    const bool prologue = std::find(g.prologue.begin(), g.prologue.end(), id) != g.prologue.end();
    if (on_matrix_unit(l, c)) set_gemm(w, net, l, c);
    if (l.kind == LayerKind::kConv2D || l.kind == LayerKind::kDense) {
      w.weight_bytes += static_cast<double>(l.params) * bytes;
      if (on_matrix_unit(l, c) && expanded_conv(net, l, c)) w.weight_bytes += expansion_weights(net, l) * bytes;
    }
    // A gather reads only the rows it gathers (its output), not the table; attention reads its cached keys / values.
    if (l.kind == LayerKind::kEmbedding) w.in_bytes += static_cast<double>(net.output_bytes(id));
    if (l.kind == LayerKind::kAttention) w.in_bytes += static_cast<double>(kv_cache_bytes(net, l));
    (prologue ? w.vector_prologue_ops : w.vector_ops) += vector_ops(net, id, free, c);
  }
  if (all_free) {  // metadata only: nothing runs, nothing moves
    w = TpuGroupWork{};
    w.unit = "none";
    return w;
  }
  for (int p : g.external_inputs) {
    const auto b = static_cast<double>(net.output_bytes(p));
    // An operand broadcast over the batch (a constant, a shared matmul operand) is read whole by every core.
    (net.layer(p).output.n == 1 && net.batch() > 1 ? w.shared_in_bytes : w.in_bytes) += b;
  }
  for (int o : g.outputs) w.out_bytes += static_cast<double>(net.output_bytes(o));
  // Tiling grain: rows of the group's largest tensor, so a tile is at least one row of everything.
  w.rows = 1;
  for (int id : g.members) w.rows = std::max(w.rows, tile_rows(net.layer(id).output));
  for (int p : g.external_inputs) w.rows = std::max(w.rows, tile_rows(net.layer(p).output));
  w.unit = w.m > 0 ? "matrix" : (w.vector_ops + w.vector_prologue_ops > 0 ? "vector" : "dma");
  return w;
}

std::unique_ptr<IFamilyRules> tpu_rules(const TpuConfig& c) { return std::make_unique<TpuRules>(c); }

std::shared_ptr<const IAccelerator> make_accelerator_of(AcceleratorInfo info, const TpuConfig& config) {
  TpuConfig c = config;
  c.matrix.rate = c.matrix.rates.at(info.precision);  // supported: checked when the config was validated
  c.matrix.element_bytes = traces::dtype_bytes(info.precision);
  info.energy = energy_at(c.energy, info.precision, true);  // the VPU computes at fp32
  info.area = area_of(c.area, area_inputs(c));
  info.area_budget_mm2 = c.area.budget_mm2;
  info.peak_flops = c.peak_flops();
  info.hbm_bandwidth = c.hbm_bandwidth();
  return std::make_shared<RulesAccelerator>(std::move(info), tpu_rules(c));
}

std::unique_ptr<IFamilyConfig> make_tpu_config() { return std::make_unique<FamilyConfig<TpuConfig>>(); }

}  // namespace rp::accel
