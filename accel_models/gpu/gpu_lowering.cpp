#include "accel_models/gpu/gpu_lowering.h"

#include <algorithm>
#include <cmath>

#include "accel_models/gpu/gpu_kernels.h"
#include "accel_models/gpu/l2_cache.h"
#include "accel_models/gpu/sm_array.h"

namespace rp::accel {
namespace {

struct GpuUnits {
  sim::UnitId launch, sm, l2;
  std::vector<sim::UnitId> reads, writes;
};

GpuUnits add_units(Lowered& low, const GpuConfig& c) {
  low.memories.push_back(std::make_unique<HbmModel>("hbm", c.hbm));
  HbmModel& hbm = *low.memories.back();
  auto add = [&](std::unique_ptr<sim::IUnitModel> m, const std::string& kind) {
    low.units.push_back({std::move(m), kind});
    return static_cast<sim::UnitId>(low.units.size() - 1);
  };
  GpuUnits u;
  u.launch = add(std::make_unique<Sequencer>("launch", c.launch), "launch");
  u.sm = add(std::make_unique<SmArray>("sm", c.sm), "sm");
  u.l2 = add(std::make_unique<L2Cache>("l2", c.l2), "l2");
  for (int i = 0; i < c.memory.read_engines; ++i) {
    u.reads.push_back(add(std::make_unique<DmaEngine>("mem_read" + std::to_string(i), c.memory, hbm), "mem_read"));
  }
  for (int i = 0; i < c.memory.write_engines; ++i) {
    u.writes.push_back(add(std::make_unique<DmaEngine>("mem_write" + std::to_string(i), c.memory, hbm), "mem_write"));
  }
  return u;
}

// Splits `total` into `parts` near-equal integer shares; share i.
int64_t share(int64_t total, int64_t parts, int64_t i) { return total / parts + (i < total % parts ? 1 : 0); }

// Where a kernel's bytes come from and go to, after the L2 decision.
struct Traffic {
  int64_t hbm_in = 0, l2_in = 0, weights = 0, out = 0;
  int64_t total() const { return hbm_in + l2_in + weights + out; }
};

Traffic route(const GpuKernel& k, int64_t weight_key, L2Residency& l2) {
  Traffic t;
  t.weights = k.weight_bytes;
  for (const GpuTensor& in : k.inputs) {
    const int64_t hit = l2.resident(in.layer, in.bytes);
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

}  // namespace

Lowered lower_gpu(const traces::Network& net, const GpuConfig& c) {
  Lowered low;
  const std::vector<FusionGroup> groups = fuse(net, gpu_fusion_policy(c.lowering));
  const GpuUnits u = add_units(low, c);
  L2Residency l2(c.l2.resident_capacity());
  std::vector<sim::TaskId> prev;  // the last tasks of the previous kernel (stream order)
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const GpuKernel k = gpu_kernel(net, groups[gi], c);
    LoweredGroup lg{groups[gi].name, {}, k.unit, k.macs};
    for (int m : groups[gi].members) lg.members.push_back(net.layer(m).name);
    low.groups.push_back(std::move(lg));
    if (k.unit == "none") continue;

    const auto layer = static_cast<int32_t>(gi);
    const Traffic t = route(k, -1 - static_cast<int64_t>(gi), l2);
    const auto tiles = static_cast<int64_t>(std::clamp<double>(
        std::ceil(static_cast<double>(t.total()) / c.lowering.tile_bytes), 1.0, c.lowering.max_tiles));
    const sim::TaskId launch = low.graph.add({u.launch, layer, kDispatch}, prev);
    std::vector<sim::TaskId> compute_end, finals;
    for (int64_t i = 0; i < tiles; ++i) {
      std::vector<sim::TaskId> wait{launch};
      if (i >= 2) wait.push_back(compute_end[static_cast<size_t>(i - 2)]);
      std::vector<sim::TaskId> loaded;
      const int64_t hbm_bytes = share(t.hbm_in, tiles, i) + (i == 0 ? t.weights : 0);
      if (hbm_bytes > 0) {
        sim::Task ld{u.reads[static_cast<size_t>(i) % u.reads.size()], layer, kLoad};
        ld.bytes = hbm_bytes;
        loaded.push_back(low.graph.add(ld, wait));
      }
      const int64_t l2_bytes = share(t.l2_in, tiles, i);
      if (l2_bytes > 0) {
        sim::Task ld{u.l2, layer, kL2Load};
        ld.bytes = l2_bytes;
        loaded.push_back(low.graph.add(ld, wait));
      }
      if (loaded.empty()) loaded = wait;
      sim::Task comp{u.sm, layer, kCompute};
      comp.m = k.m;
      comp.k = k.k;
      comp.n = k.n;
      comp.ops = k.cuda_ops;
      comp.aux = static_cast<int32_t>(tiles);
      sim::TaskId last = low.graph.add(comp, loaded);
      compute_end.push_back(last);
      const int64_t out_bytes = share(t.out, tiles, i);
      if (out_bytes > 0) {
        sim::Task st{u.writes[static_cast<size_t>(i) % u.writes.size()], layer, kStore};
        st.bytes = out_bytes;
        last = low.graph.add(st, {last});
      }
      finals.push_back(last);
    }
    prev = std::move(finals);
  }
  return low;
}

}  // namespace rp::accel
