#include "accel_models/tpu/tpu_config.h"

#include "accel_models/config/param.h"

namespace rp::accel {

void describe(ParamVisitor& v, TpuConfig& c) {
  using S = ParamSpec;
  v.integer("cores", c.cores, S::count("", "TensorCores per chip"));
  v.real("clock_mhz", c.clock, S::positive("MHz", 1e6, "core clock"));
  v.group("matrix_unit", [&](ParamVisitor& g) { describe(g, c.matrix); });
  v.group("vector_unit", [&](ParamVisitor& g) { describe(g, c.vector); });
  v.group("vector_memory", [&](ParamVisitor& g) {
    g.real("capacity_mib", c.vmem_bytes, S::positive("MiB", 1024.0 * 1024.0, "vector memory per core"));
  });
  v.group("hbm", [&](ParamVisitor& g) { describe(g, c.hbm); });
  v.group("dma", [&](ParamVisitor& g) { describe(g, c.dma); });
  v.group("sequencer", [&](ParamVisitor& g) { describe(g, c.sequencer, "dispatch_overhead_ns"); });
  v.group("lowering", [&](ParamVisitor& g) {
    TpuLoweringParams& l = c.lowering;
    g.boolean("fuse_elementwise", l.fuse_elementwise, S::flag("elementwise ops fused into their producer").or_default(1));
    g.boolean("fuse_input_elementwise", l.fuse_input_elementwise,
              S::flag("a standalone elementwise op fused into its consumer conv").or_default(1));
    g.boolean("fuse_reductions", l.fuse_reductions, S::flag("global pools fused into their producer").or_default(1));
    g.boolean("fold_batch_norm", l.fold_batch_norm, S::flag("inference batch norm folded into conv weights").or_default(1));
    g.boolean("depthwise_on_vector_unit", l.depthwise_on_vector_unit,
              S::flag("depthwise convs on the vector unit").or_default(1));
    g.boolean("vector_lane_padding", l.vector_lane_padding,
              S::flag("channels pad to a multiple of the lanes on the vector unit").or_default(1));
    g.boolean("split_batch_across_cores", l.split_batch_across_cores,
              S::flag("batch split data-parallel over the cores").or_default(1));
    g.integer("min_tiles", l.min_tiles, S::count("", "tiles per fusion at least").or_default(4));
    g.integer("max_tiles", l.max_tiles, S::count("", "simulated tiles per fusion at most").or_default(16));
    g.real("weight_buffer_fraction", l.weight_buffer_fraction,
           S::open_fraction("share of vector memory for a fusion's weights").or_default(0.5));
    g.require(l.max_tiles >= l.min_tiles, "max_tiles", "must be >= lowering.min_tiles");
  });
}

void derive(TpuConfig& c) {
  c.matrix.clock = c.clock;
  c.vector.clock = c.clock;
}

}  // namespace rp::accel
