#include "accel_models/gpu/gpu_config.h"

#include "accel_models/config/param_checks.h"

namespace rp::accel {

GpuConfig GpuConfig::parse(const traces::YamlMap& root) {
  root.reject_unknown({"name", "family", "precision", "default_batch", "clock_mhz", "sms", "tensor_cores",
                       "cuda_cores", "l2", "hbm", "memory_path", "launch", "lowering"});
  GpuConfig c;
  c.clock = positive(root, "clock_mhz") * 1e6;
  c.sm = SmParams::parse(root.map("tensor_cores"), root.map("cuda_cores"));
  c.sm.sms = static_cast<int>(positive_int(root, "sms"));
  c.sm.clock = c.clock;

  c.l2 = L2Params::parse(root.map("l2"));

  const traces::YamlMap hbm = root.map("hbm");
  hbm.reject_unknown({"bandwidth_gbps", "channels", "access_bytes", "interleave_bytes", "row_bytes", "row_miss_ns",
                      "refresh_fraction"});
  c.hbm = HbmParams::parse(hbm);

  const traces::YamlMap mem = root.map("memory_path");
  mem.reject_unknown({"read_engines", "write_engines", "setup_ns"});
  c.memory = DmaParams::parse(mem);

  const traces::YamlMap launch = root.map("launch");
  launch.reject_unknown({"overhead_ns"});
  c.launch.overhead = non_negative(launch, "overhead_ns") * 1e-9;

  const traces::YamlMap low = root.map("lowering");
  low.reject_unknown({"fuse_relu", "fuse_residual_add", "fused_swish", "max_tiles", "tile_kib"});
  GpuLoweringParams& l = c.lowering;
  l.fuse_relu = low.boolean("fuse_relu");
  l.fuse_residual_add = low.boolean("fuse_residual_add");
  l.fused_swish = low.boolean("fused_swish");
  l.max_tiles = static_cast<int>(positive_int(low, "max_tiles"));
  l.tile_bytes = positive(low, "tile_kib") * 1024;
  return c;
}

}  // namespace rp::accel
