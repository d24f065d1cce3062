#include "accel_models/gpu/gpu_config.h"

#include "accel_models/config/param.h"

namespace rp::accel {

void describe(ParamVisitor& v, GpuConfig& c) {
  using S = ParamSpec;
  v.real("clock_mhz", c.clock, S::positive("MHz", 1e6, "SM clock"));
  v.integer("sms", c.sm.sms, S::count("", "streaming multiprocessors"));
  v.group("tensor_cores", [&](ParamVisitor& g) { describe_tensor_cores(g, c.sm); });
  v.group("cuda_cores", [&](ParamVisitor& g) { describe_cuda_cores(g, c.sm); });
  v.group("l2", [&](ParamVisitor& g) { describe(g, c.l2); });
  v.group("hbm", [&](ParamVisitor& g) { describe(g, c.hbm); });
  v.group("memory_path", [&](ParamVisitor& g) { describe(g, c.memory); });
  v.group("launch", [&](ParamVisitor& g) { describe(g, c.launch, "overhead_ns"); });
  v.group("lowering", [&](ParamVisitor& g) {
    GpuLoweringParams& l = c.lowering;
    g.boolean("fuse_relu", l.fuse_relu, S::flag("ReLU / ReLU6 in the conv epilogue").or_default(1));
    g.boolean("fuse_residual_add", l.fuse_residual_add, S::flag("residual add in the conv epilogue").or_default(1));
    g.boolean("fused_swish", l.fused_swish, S::flag("swish / hswish fused like ReLU").or_default(0));
    g.integer("max_tiles", l.max_tiles, S::count("", "simulated parts per kernel at most").or_default(8));
    g.real("tile_kib", l.tile_bytes, S::positive("KiB", 1024, "memory traffic per part").or_default(1024));
  });
}

void derive(GpuConfig& c) { c.sm.clock = c.clock; }

}  // namespace rp::accel
