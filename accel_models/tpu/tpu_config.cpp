#include "accel_models/tpu/tpu_config.h"

#include "accel_models/config/param_checks.h"

namespace rp::accel {

TpuConfig TpuConfig::parse(const traces::YamlMap& root) {
  root.reject_unknown({"name", "family", "precision", "default_batch", "cores", "clock_mhz", "matrix_unit",
                       "vector_unit", "vector_memory", "hbm", "dma", "sequencer", "lowering"});
  TpuConfig c;
  c.cores = static_cast<int>(positive_int(root, "cores"));
  c.clock = positive(root, "clock_mhz") * 1e6;

  const traces::YamlMap mxu = root.map("matrix_unit");
  mxu.reject_unknown({"arrays", "rows", "cols", "weight_load_cycles"});
  c.matrix = SystolicParams::parse(mxu);
  c.matrix.clock = c.clock;

  const traces::YamlMap vpu = root.map("vector_unit");
  vpu.reject_unknown({"lanes", "sublanes", "alus_per_lane", "pass_overhead_cycles", "cost_per_element"});
  c.vector = VectorParams::parse(vpu);
  c.vector.clock = c.clock;

  const traces::YamlMap vmem = root.map("vector_memory");
  vmem.reject_unknown({"capacity_mib"});
  c.vmem_bytes = static_cast<int64_t>(positive(vmem, "capacity_mib") * 1024 * 1024);

  const traces::YamlMap hbm = root.map("hbm");
  hbm.reject_unknown({"bandwidth_gbps", "channels", "access_bytes", "interleave_bytes", "row_bytes", "row_miss_ns",
                      "refresh_fraction"});
  c.hbm = HbmParams::parse(hbm);

  const traces::YamlMap dma = root.map("dma");
  dma.reject_unknown({"read_engines", "write_engines", "setup_ns"});
  c.dma = DmaParams::parse(dma);

  const traces::YamlMap seq = root.map("sequencer");
  seq.reject_unknown({"dispatch_overhead_ns"});
  c.sequencer.overhead = non_negative(seq, "dispatch_overhead_ns") * 1e-9;

  const traces::YamlMap low = root.map("lowering");
  low.reject_unknown({"fuse_elementwise", "fuse_input_elementwise", "fuse_reductions", "fold_batch_norm",
                      "depthwise_on_vector_unit", "vector_lane_padding", "split_batch_across_cores", "min_tiles", "max_tiles",
                      "weight_buffer_fraction"});
  auto& l = c.lowering;
  l.fuse_elementwise = low.boolean("fuse_elementwise");
  l.fuse_input_elementwise = low.boolean("fuse_input_elementwise");
  l.fuse_reductions = low.boolean("fuse_reductions");
  l.fold_batch_norm = low.boolean("fold_batch_norm");
  l.depthwise_on_vector_unit = low.boolean("depthwise_on_vector_unit");
  l.vector_lane_padding = low.boolean("vector_lane_padding");
  l.split_batch_across_cores = low.boolean("split_batch_across_cores");
  l.min_tiles = static_cast<int>(positive_int(low, "min_tiles"));
  l.max_tiles = static_cast<int>(positive_int(low, "max_tiles"));
  l.weight_buffer_fraction = positive(low, "weight_buffer_fraction");
  if (l.max_tiles < l.min_tiles) low.fail("max_tiles", "must be >= lowering.min_tiles");
  if (l.weight_buffer_fraction >= 1) low.fail("weight_buffer_fraction", "must be in (0, 1)");
  return c;
}

}  // namespace rp::accel
