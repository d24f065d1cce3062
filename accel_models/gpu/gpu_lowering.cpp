#include "accel_models/gpu/gpu_lowering.h"

#include <algorithm>
#include <cmath>

#include "accel_models/common/family.h"
#include "accel_models/common/registry.h"
#include "accel_models/gpu/gpu_kernels.h"
#include "accel_models/gpu/l2_cache.h"
#include "accel_models/gpu/sm_array.h"

namespace rp::accel {
namespace {

enum CoreUnit { kSm = 0, kL2 = 1 };  // CoreUnits::compute order

// Where a kernel's bytes come from and go to, after the L2 decision.
struct Traffic {
  int64_t hbm_in = 0, l2_in = 0, weights = 0, out = 0;
  int64_t total() const { return hbm_in + l2_in + weights + out; }
};

// `kept`: the inputs held in L2 by activation_residency, read from it whole.
Traffic route(const GpuKernel& k, int64_t weight_key, L2Residency& l2, const std::vector<int>& kept) {
  Traffic t;
  t.weights = k.weight_bytes;
  for (const GpuTensor& in : k.inputs) {
    const bool whole = std::find(kept.begin(), kept.end(), in.layer) != kept.end();
    const int64_t hit = whole ? in.bytes : l2.resident(in.layer, in.bytes);
    t.l2_in += hit;
    t.hbm_in += in.bytes - hit;
  }
  for (const GpuTensor& in : k.inputs) l2.touch(in.layer, in.bytes);
  if (k.weight_bytes > 0) l2.touch(weight_key, k.weight_bytes);
  for (const GpuTensor& o : k.outputs) {
    l2.touch(o.layer, o.bytes);
    t.out += o.bytes;
  }
  return t;
}

class GpuPlanner : public IGroupPlanner {
 public:
  GpuPlanner(const traces::Network& net, const GpuConfig& c)
      : net_(net), c_(c), consumers_(net.consumers()), l2_(c.l2.resident_capacity()) {}

  GroupPlan plan(size_t gi, const FusionGroup& g) override {
    kernels_.push_back(gpu_kernel(net_, g, c_, consumers_));
    const GpuKernel& k = kernels_.back();
    const bool launches = k.unit != "none";
    std::vector<int> kept;
    if (launches && previous_ >= 0 && c_.lowering.activation_residency) kept = keep_in_l2(g, k);
    traffic_.push_back(launches ? route(k, -1 - static_cast<int64_t>(gi), l2_, kept) : Traffic{});
    prefetch_.push_back(launches && previous_ >= 0 && c_.lowering.weight_prefetch && k.weight_bytes > 0 &&
                        static_cast<double>(kernels_[static_cast<size_t>(previous_)].weight_bytes + k.weight_bytes) <=
                            c_.l2.resident_capacity());
    if (launches) previous_ = static_cast<int>(gi);
    dispatch_.push_back(dispatch_cost(g));
    dispatches_.push_back(dispatch_count(g));
    return {k.unit, k.macs, launches, dispatch_.back(), dispatches_.back()};
  }

  // Eager per-op dispatch (lowering.dispatch_per_op): a kernel paying the framework's dispatch pays it for every
  // framework op it stands for, its fusion group's members; else once.
  int32_t dispatch_count(const FusionGroup& g) const {
    const bool eager = !c_.lowering.compiled_graph && !c_.lowering.graph_executor;
    return eager && c_.lowering.dispatch_per_op ? static_cast<int32_t>(g.members.size()) : 1;
  }

  // A convolution's kernel pays the framework's dispatch; any other kernel the driver's launch under a compiled
  // graph or a graph executor, else (eager) the framework's dispatch too (sequencer.h DispatchCost).
  int32_t dispatch_cost(const FusionGroup& g) const {
    const bool driver = c_.lowering.compiled_graph || c_.lowering.graph_executor;
    return driver && !has_conv(g) ? kCompiledLaunch : kFrameworkDispatch;
  }

  std::vector<Step> steps(size_t gi, const CoreUnits& u, const CoreShare&) const override {
    const GpuKernel& k = kernels_[gi];
    const Traffic& t = traffic_[gi];
    const auto tiles = static_cast<int64_t>(std::clamp<double>(
        std::ceil(static_cast<double>(t.total()) / c_.lowering.tile_bytes), 1.0, c_.lowering.max_tiles));
    std::vector<Step> out(static_cast<size_t>(tiles));
    for (int64_t i = 0; i < tiles; ++i) {
      Step& st = out[static_cast<size_t>(i)];
      const bool prefetch = i == 0 && prefetch_[gi] && t.weights > 0;
      if (prefetch) {
        sim::Task ld{u.reads[u.reads.size() - 1], -1, kLoad};  // the last path: step 0 loads on the first
        ld.bytes = t.weights;
        st.prefetch = ld;
      }
      const int64_t hbm_bytes = share(t.hbm_in, tiles, i) + (i == 0 && !prefetch ? t.weights : 0);
      const int64_t l2_bytes = share(t.l2_in, tiles, i);
      if (hbm_bytes > 0) {
        sim::Task ld{u.reads[static_cast<size_t>(i) % u.reads.size()], -1, kLoad};
        ld.bytes = hbm_bytes;
        st.loads.push_back(ld);
      }
      if (l2_bytes > 0) {
        sim::Task ld{u.compute[kL2], -1, kL2Load};
        ld.bytes = l2_bytes;
        st.loads.push_back(ld);
      }
      sim::Task comp{u.compute[kSm], -1, kCompute};
      comp.m = k.m;
      comp.k = k.k;
      comp.n = k.n;
      comp.ops = k.cuda_ops;
      comp.aux = static_cast<int32_t>(tiles);
      st.compute.push_back(comp);
      const int64_t out_bytes = share(t.out, tiles, i);
      if (out_bytes > 0) {
        sim::Task s{u.writes[static_cast<size_t>(i) % u.writes.size()], -1, kStore};
        s.bytes = out_bytes;
        st.store = s;
      }
    }
    return out;
  }

  // steps() reads the kernel's GEMM and CUDA-core work and its routed traffic (the L2 decision made in plan()).
  void key(size_t gi, const CoreShare& core, std::string& s) const override {
    const GpuKernel& k = kernels_[gi];
    const Traffic& t = traffic_[gi];
    for (int64_t v : {k.m, k.k, k.n, t.hbm_in, t.l2_in, t.weights, t.out}) append_key(s, v);
    append_key(s, k.cuda_ops);
    append_key(s, core);
    append_key(s, static_cast<int32_t>(prefetch_[gi]));
    append_key(s, dispatch_[gi]);
    append_key(s, dispatches_[gi]);
  }

 private:
  // Whether `g` is a convolution kernel (cuDNN's: a conv layer, depthwise included, among its members).
  bool has_conv(const FusionGroup& g) const {
    return std::any_of(g.members.begin(), g.members.end(),
                       [&](int m) { return net_.layer(m).kind == traces::LayerKind::kConv2D; });
  }

  // activation_residency: the inputs of `g` that the previous launched kernel wrote and only `g` reads stay in L2
  // while they and what is already kept, with the larger of the two kernels' weights, fit l2.usable_fraction of it;
  // the previous kernel's write of each is not issued. Returns their producing layers.
  std::vector<int> keep_in_l2(const FusionGroup& g, const GpuKernel& k) {
    const GpuKernel& producer = kernels_[static_cast<size_t>(previous_)];
    Traffic& written = traffic_[static_cast<size_t>(previous_)];
    const double room =
        c_.l2.resident_capacity() - static_cast<double>(std::max(producer.weight_bytes, k.weight_bytes));
    std::vector<int> kept;
    double used = 0;
    for (const GpuTensor& in : k.inputs) {
      const bool written_before = std::any_of(producer.outputs.begin(), producer.outputs.end(),
                                              [&](const GpuTensor& o) { return o.layer == in.layer; });
      const auto readers = consumers_[static_cast<size_t>(in.layer)];
      const bool only_g = std::all_of(readers.begin(), readers.end(), [&](int r) {
        return std::find(g.members.begin(), g.members.end(), r) != g.members.end();
      });
      if (!written_before || !only_g || used + static_cast<double>(in.bytes) > room) continue;
      used += static_cast<double>(in.bytes);
      written.out -= in.bytes;
      kept.push_back(in.layer);
    }
    return kept;
  }

  const traces::Network& net_;
  const GpuConfig& c_;
  traces::Consumers consumers_;
  L2Residency l2_;
  std::vector<GpuKernel> kernels_;
  std::vector<Traffic> traffic_;
  std::vector<bool> prefetch_;       // per kernel: its weights load while the previous kernel runs
  std::vector<int32_t> dispatch_;    // per kernel: the launch cost it pays (sequencer.h DispatchCost)
  std::vector<int32_t> dispatches_;  // per kernel: how many times it pays that cost (dispatch_count)
  int previous_ = -1;                // the last launched kernel planned
};

class GpuRules : public IFamilyRules {
 public:
  explicit GpuRules(const GpuConfig& c) : c_(c) {}
  FusionPolicy fusion_policy() const override { return gpu_fusion_policy(c_.lowering); }
  SkeletonRules skeleton() const override {
    return {1, true, true, c_.lowering.fused_attention, c_.lowering.weight_prefetch, c_.lowering.async_launch};
  }

  CoreUnits add_core(UnitSet& set, int) const override {
    HbmModel& hbm = set.add_memory("hbm", c_.hbm);
    CoreUnits u;
    u.dispatch = set.add(std::make_unique<Sequencer>("launch", c_.launch), "launch");
    u.compute.push_back(set.add(std::make_unique<SmArray>("sm", c_.sm), "sm", true));
    u.compute.push_back(set.add(std::make_unique<L2Cache>("l2", c_.l2), "l2"));
    u.reads = set.add_dma("", "mem_read", c_.memory.read_engines, c_.memory, hbm);
    u.writes = set.add_dma("", "mem_write", c_.memory.write_engines, c_.memory, hbm);
    return u;
  }

  std::unique_ptr<IGroupPlanner> planner(const traces::Network& net) const override {
    return std::make_unique<GpuPlanner>(net, c_);
  }

 private:
  GpuConfig c_;
};

}  // namespace

std::unique_ptr<IFamilyRules> gpu_rules(const GpuConfig& c) { return std::make_unique<GpuRules>(c); }

GpuConfig at_precision(const GpuConfig& config, traces::DType precision) {
  GpuConfig c = config;
  c.sm.fma_per_tensor_core_clock = c.sm.tensor_fma.at(precision);
  c.sm.cuda_ops_per_core_clock =
      c.sm.cuda_ops.supports(precision) ? c.sm.cuda_ops.at(precision) : c.sm.cuda_ops.at(traces::DType::kF32);
  return c;
}

std::shared_ptr<const IAccelerator> make_accelerator_of(AcceleratorInfo info, const GpuConfig& config) {
  GpuConfig c = at_precision(config, info.precision);
  c.sm.element_bytes = traces::dtype_bytes(info.precision);
  info.energy = energy_at(c.energy, info.precision, true);
  info.area = area_of(c.area, area_inputs(c));
  info.area_budget_mm2 = c.area.budget_mm2;
  info.peak_flops = c.peak_flops();
  info.hbm_bandwidth = c.hbm_bandwidth();
  return std::make_shared<RulesAccelerator>(std::move(info), gpu_rules(c));
}

std::unique_ptr<IFamilyConfig> make_gpu_config() { return std::make_unique<FamilyConfig<GpuConfig>>(); }

}  // namespace rp::accel
