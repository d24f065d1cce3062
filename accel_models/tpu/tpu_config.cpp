#include "accel_models/tpu/tpu_config.h"

#include <algorithm>

#include "accel_models/config/param.h"

namespace rp::accel {
namespace {

void describe_lowering(ParamVisitor& g, TpuLoweringParams& l) {
  using S = ParamSpec;
  g.boolean("fuse_elementwise", l.fuse_elementwise, S::flag("elementwise ops fused into their producer").or_default(1));
  g.boolean("fuse_input_elementwise", l.fuse_input_elementwise,
            S::flag("a standalone elementwise op fused into its consumer conv").or_default(1));
  g.boolean("fuse_reductions", l.fuse_reductions, S::flag("global pools fused into their producer").or_default(1));
  g.boolean("fold_batch_norm", l.fold_batch_norm,
            S::flag("inference batch norm folded into conv weights").or_default(1));
  g.boolean("depthwise_on_vector_unit", l.depthwise_on_vector_unit,
            S::flag("depthwise convs on the vector unit").or_default(1));
  g.boolean("vector_lane_padding", l.vector_lane_padding,
            S::flag("channels pad to a multiple of the lanes on the vector unit").or_default(1));
  g.boolean("split_batch_across_cores", l.split_batch_across_cores,
            S::flag("batch split data-parallel over the cores").or_default(1));
  g.boolean("conv_per_tap", l.conv_per_tap,
            S::flag("k x k convs as k^2 passes with K = input channels (XLA without im2col)").or_default(0));
  g.boolean("fused_attention", l.fused_attention,
            S::flag("attention as one flash-style fusion reading q, k, v and writing o; false: QK^T, softmax and AV "
                    "as separate fusions with the scores' HBM round trips, as XLA lowered attention on TPUv2-v4 "
                    "before hand-written flash kernels (Pallas, 2023): the stack the shipped TPU configs model")
                .or_default(0));
  g.boolean("grouped_conv_expand", l.grouped_conv_expand,
            S::flag("a grouped conv on the matrix unit whose input channels per group are at most "
                    "grouped_conv_expand_max_width runs as one dense conv with a block-diagonal filter (zeros off "
                    "the diagonal blocks): groups x its useful MACs issued, the expanded filter (groups x the "
                    "weights) read; off, its groups are independent passes. XLA's filter expansion: openxla/xla "
                    "xla/service/convolution_group_converter.cc (docs/tpu-model.md, Grouped convolution (XLA))")
                .or_default(0));
  g.integer("grouped_conv_expand_max_width", l.grouped_conv_expand_max_width,
            S::count("channels",
                     "with grouped_conv_expand, expand only convs of at most this many input channels "
                     "per group: 1 is the converter's filter-expansion case today (group size 1), a "
                     "large value every grouped conv (the 2018 ConvolutionFeatureGroupConverter)")
                .or_default(1));
  g.boolean("activation_residency", l.activation_residency,
            S::flag("a tensor written by one fusion and read only by the next launched fusion stays in vector memory "
                    "(neither its HBM store nor its HBM load is issued) when its bytes on a core plus the larger of "
                    "the two fusions' weight buffers fit in residency_fraction of vector memory (docs/tpu-model.md, "
                    "On-chip residency and weight prefetch)")
                .or_default(0));
  g.real(
      "residency_fraction", l.residency_fraction,
      S::share(
          "with activation_residency, the share of vector memory a resident tensor and the weights "
          "held may fill ([assumed] 0.5, neither sourced nor fitted; tiles are not shrunk by it: an optimistic bound)")
          .or_default(0.5));
  g.boolean("weight_prefetch", l.weight_prefetch,
            S::flag("a fusion's weights load from HBM after the previous launched fusion's dispatch, overlapping "
                    "its work, when both fusions' weights fit the weight buffer together (weight_buffer_fraction); "
                    "fusions then overlap and a network's latency is no longer the sum of its fusions' "
                    "(docs/tpu-model.md, On-chip residency and weight prefetch)")
                .or_default(0));
  g.boolean("concat_in_place", l.concat_in_place,
            S::flag("a concatenation whose operands are each computed by a layer, appear once and feed no other "
                    "concat moves no data: each producer writes its output into its slice of the concat's buffer "
                    "(or the concat is fused into its consumers, which read the operands where they lie: XLA's "
                    "concatenate is loop-fusible), so its copy pass (operands read, output written, `copy` element "
                    "operations) and its dispatch are gone; off, every concat is a copy fusion (docs/tpu-model.md, "
                    "Concatenation and multi-branch modules)")
                .or_default(0));
  g.integer("min_tiles", l.min_tiles, S::count("", "tiles per fusion at least").or_default(4).at_most(4096));
  g.integer("max_tiles", l.max_tiles, S::count("", "simulated tiles per fusion at most").or_default(16).at_most(4096));
  g.real("weight_buffer_fraction", l.weight_buffer_fraction,
         S::open_fraction("share of vector memory for a fusion's weights").or_default(0.5));
  g.require(l.max_tiles >= l.min_tiles, "max_tiles", "must be >= stack.lowering.min_tiles");
}

}  // namespace

void describe(ParamVisitor& v, TpuConfig& c) {
  using S = ParamSpec;
  v.integer("cores", c.cores, S::count("", "TensorCores per chip").at_most(64));
  v.real("clock_mhz", c.clock, S::positive("MHz", 1e6, "core clock").at_most(1e5));  // 100 GHz
  v.group("matrix_unit", [&](ParamVisitor& g) { describe(g, c.matrix); });
  v.group("vector_unit", [&](ParamVisitor& g) { describe(g, c.vector); });
  v.group("vector_memory", [&](ParamVisitor& g) {
    g.real("capacity_mib", c.vmem_bytes,
           S::positive("MiB", 1024.0 * 1024.0, "vector memory per core").at_most(1 << 20));  // 1 TiB
  });
  v.group("hbm", [&](ParamVisitor& g) {
    describe(g, c.hbm);
    g.require(c.cores <= 0 || c.hbm.channels % c.cores == 0, "channels",
              "must be a multiple of cores (each core has a private share of the chip's HBM)");
  });
  v.group("dma", [&](ParamVisitor& g) { describe(g, c.dma); });
  v.group("energy", [&](ParamVisitor& g) { describe_energy(g, c.energy); });
  v.group("area", [&](ParamVisitor& g) { describe_area(g, c.area); });
  v.group("stack", [&](ParamVisitor& st) {
    st.real("dispatch_overhead_ns", c.stack.dispatch_overhead, S::non_negative("ns", 1e-9, "fixed cost per fusion"));
    st.real("hbm_efficiency", c.stack.hbm_efficiency,
            S::share("achieved share of the HBM streaming bandwidth (row misses, access pattern)"));
    st.real("depthwise_ops_per_mac", c.stack.depthwise_ops_per_mac,
            S::non_negative("ops", 1, "vector-unit operations per depthwise MAC"));
    st.group("lowering", [&](ParamVisitor& g) { describe_lowering(g, c.stack.lowering); });
  });
}

void derive(TpuConfig& c) {
  c.matrix.clock = c.clock;
  c.vector.clock = c.clock;
  c.hbm_core = c.hbm.split(std::max(1, c.cores));
  c.hbm_core.set_efficiency(c.stack.hbm_efficiency);
  c.sequencer.overhead = c.stack.dispatch_overhead;
  c.vector.costs.depthwise_mac = c.stack.depthwise_ops_per_mac;
  c.lowering = c.stack.lowering;
}

std::vector<std::string> supported_precisions(const TpuConfig& c) { return c.matrix.rates.supported(); }

std::string key_alias(const TpuConfig&, const std::string& key) {
  return key.rfind("lowering.", 0) == 0 ? "stack." + key : key;
}

AreaInputs area_inputs(const TpuConfig& c) {
  AreaInputs in;
  const double cells = static_cast<double>(c.cores) * c.matrix.arrays * c.matrix.rows * c.matrix.cols;
  for (size_t i = 0; i < in.macs_per_cycle.rate.size(); ++i) in.macs_per_cycle.rate[i] = cells * c.matrix.rates.rate[i];
  in.alus = static_cast<double>(c.cores) * c.vector.ops_per_cycle();
  in.sram_mib = c.cores * c.vmem_bytes / (1024.0 * 1024.0);
  return in;
}

MemoryLayout memory_layout(const TpuConfig& c) {
  const int cores = std::max(1, c.cores);
  return {c.hbm.capacity, cores, c.lowering.split_batch_across_cores ? cores : 1};
}

}  // namespace rp::accel
