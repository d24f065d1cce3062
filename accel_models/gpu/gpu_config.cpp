#include "accel_models/gpu/gpu_config.h"

#include "accel_models/config/param.h"

namespace rp::accel {
namespace {

void describe_lowering(ParamVisitor& g, GpuLoweringParams& l) {
  using S = ParamSpec;
  g.boolean("fuse_relu", l.fuse_relu, S::flag("ReLU / ReLU6 in the conv epilogue").or_default(1));
  g.boolean("fuse_residual_add", l.fuse_residual_add, S::flag("residual add in the conv epilogue").or_default(1));
  g.boolean("fused_swish", l.fused_swish, S::flag("swish / hswish fused like ReLU").or_default(0));
  g.boolean("fused_attention", l.fused_attention,
            S::flag("attention as one flash-style kernel reading q, k, v and writing o; false: QK^T, scale, softmax "
                    "and AV as separate kernels with the scores' HBM round trips, as cuDNN / TensorRT ran it on "
                    "V100 (FlashAttention needs Ampere or later); true where the modeled stack has flash attention "
                    "(FlashAttention / cuDNN fused attention on A100 and H100)")
                .or_default(0));
  g.integer("max_tiles", l.max_tiles, S::count("", "simulated parts per kernel at most").or_default(8).at_most(4096));
  g.real("tile_kib", l.tile_bytes, S::positive("KiB", 1024, "memory traffic per part").or_default(1024));
  g.boolean("activation_residency", l.activation_residency,
            S::flag("a tensor written by one kernel and read only by the next stays in L2: its HBM write is not "
                    "issued and the next kernel reads it all from L2, when its bytes plus the larger of the two "
                    "kernels' weights fit l2.usable_fraction of the L2 (docs/gpu-model.md, On-chip residency and "
                    "weight prefetch)")
                .or_default(0));
  g.boolean("weight_prefetch", l.weight_prefetch,
            S::flag("a kernel's weights load from HBM after the previous kernel's launch, overlapping its work, "
                    "when both kernels' weights fit l2.usable_fraction of the L2 together; kernels then overlap "
                    "and a network's latency is no longer the sum of its kernels' (docs/gpu-model.md)")
                .or_default(0));
  g.boolean("grouped_conv_packed", l.grouped_conv_packed,
            S::flag("a grouped conv (not depthwise) on the tensor cores runs as one implicit GEMM of M = batch x "
                    "output pixels rows whose CTA tiles hold several groups side by side in N, each group's output "
                    "channels padded to grouped_conv_n_granule and each group's MMAs reading only its own K = kh x "
                    "kw x Cin / groups (one cuDNN call with groupCount, as PyTorch's ConvolutionDescriptor::set and "
                    "TensorFlow's feature_group_count make it); off, every group is its own GEMM stacked along M and "
                    "its N = Cout / groups is padded to a whole CTA tile (docs/gpu-model.md, Grouped convolutions)")
                .or_default(0));
  g.integer("grouped_conv_n_granule", l.grouped_conv_n_granule,
            S::count("channels",
                     "with grouped_conv_packed, each group's output channels are padded to a multiple of this: the "
                     "n of the fp16 tensor-core MMA instruction (8 in PTX's mma.m8n8k4 on Volta and m16n8k16 on "
                     "Ampere)")
                .or_default(8)
                .at_most(4096));
  g.integer("cuda_gemm_n_granule", l.cuda_gemm_n_granule,
            S::non_negative("channels", 1,
                            "a GEMM at a precision the tensor cores lack (fp32 on V100) runs on the CUDA cores in CTA "
                            "tiles whose N is at least this many filters: each group's N = filters / groups is padded "
                            "to a multiple of it and the padding is issued as FMAs (a ResNeXt group of 4 filters "
                            "issues 32 / 4 = 8x its MACs at 32); 32 is the narrowest N of cuDNN's fp32 implicit-GEMM "
                            "kernels on Volta (volta_scudnn_128x32 / 128x64 / 128x128); 0: only the useful MACs are "
                            "issued (docs/gpu-model.md, Grouped convolutions)")
                .or_default(0)
                .at_most(4096));
  g.boolean("concat_in_place", l.concat_in_place,
            S::flag("a concatenation whose operands are each computed by a layer, appear once and feed no other "
                    "concat moves no data: each producer kernel writes its output into its slice of the concat's "
                    "buffer (TensorRT's concat removal), so the concat's copy kernel (operands read, output written, "
                    "`copy` element operations) and its launch are gone; off, every concat is a copy kernel, as "
                    "eager torch.cat runs it (docs/gpu-model.md, Concatenation and multi-branch modules)")
                .or_default(0));
  g.boolean("async_launch", l.async_launch,
            S::flag("kernel launches run ahead of the GPU, as CUDA's asynchronous launches into one stream do: a "
                    "kernel's launch (launch_overhead_ns, the host's framework and driver work) waits only for the "
                    "previous launch, and the kernel starts once its launch and the previous kernel are both done, "
                    "so a launch is hidden behind a longer kernel before it; off, each launch starts when the "
                    "previous kernel ends and every launch adds to the latency (docs/gpu-model.md, Asynchronous "
                    "launch)")
                .or_default(0));
  g.boolean("compiled_graph", l.compiled_graph,
            S::flag("the kernels run as a compiled graph (XLA on a GPU: TensorFlow's --xla, jit_compile): its "
                    "runtime launches each kernel that is not a convolution (GEMMs, fused elementwise and "
                    "reduction kernels) with the driver alone, for compiled_launch_ns, while a convolution "
                    "(cuDNN) keeps launch_overhead_ns; off, every kernel pays launch_overhead_ns, the framework's "
                    "dispatch one op at a time (docs/gpu-model.md, Compiled graphs)")
                .or_default(0));
  g.boolean("graph_executor", l.graph_executor,
            S::flag("the framework runs its graph in a C++ executor, one op at a time (TensorFlow without XLA): a "
                    "kernel that is one framework op (not a convolution: an activation, a pool, a GEMM, a product) "
                    "costs the driver's launch, compiled_launch_ns, as under compiled_graph, while a convolution, "
                    "whose kernel here also carries the batch norm, activation and residual add the lowering fuses "
                    "into it, keeps launch_overhead_ns; off, every kernel pays launch_overhead_ns, as eager "
                    "PyTorch's per-op host work does (docs/gpu-model.md, Graph executors)")
                .or_default(0));
  g.boolean("dispatch_per_op", l.dispatch_per_op,
            S::flag("an eager framework dispatches each op it runs (PyTorch without a compiled graph): a kernel "
                    "that pays launch_overhead_ns pays it once per framework op it stands for (a convolution's "
                    "kernel here carries its batch norm, activation and residual add, each a separate eager op "
                    "with its own host work); off, once per kernel. Kernels that pay compiled_launch_ns "
                    "(compiled_graph, graph_executor) and every kernel under those switches pay once "
                    "(docs/gpu-model.md, Per-op dispatch)")
                .or_default(0));
}

void describe_profile(ParamVisitor& p, GpuStack& s) {
  using S = ParamSpec;
  p.real("launch_overhead_ns", s.launch_overhead,
         S::non_negative("ns", 1e-9, "per kernel: launch and framework dispatch"));
  p.real("compiled_launch_ns", s.compiled_launch,
         S::non_negative("ns", 1e-9,
                         "per kernel but a convolution under lowering.compiled_graph or lowering.graph_executor: "
                         "the driver's launch of a kernel to its completion, a measured figure of the GPU, not "
                         "fitted")
             .or_default(0));
  p.real("hbm_efficiency", s.hbm_efficiency, S::share("achieved share of the HBM streaming bandwidth"));
  p.real("cuda_efficiency", s.cuda_efficiency, S::share("achieved share of the CUDA-core rate in element operations"));
  // cuBLAS SGEMM reaches 70-80% of the FP32 peak on large GEMMs (NVIDIA's published cuBLAS benchmarks).
  p.real(
      "cuda_gemm_efficiency", s.cuda_gemm_efficiency,
      S::share("achieved share of the CUDA-core rate in GEMMs at a precision the tensor cores lack").or_default(0.7));
  p.real("block_overhead_cycles", s.block_overhead_cycles,
         S::non_negative("cycles", 1, "per wave of thread blocks: prologue loads and epilogue"));
  p.real("tensor_efficiency", s.tensor_efficiency,
         S::share("achieved share of the tensor-core tiles' main-loop rate").or_default(1));
  p.real("depthwise_ops_per_mac", s.depthwise_ops_per_mac,
         S::non_negative("ops", 1, "CUDA-core operations per depthwise MAC").or_default(2));
  p.group("lowering", [&](ParamVisitor& g) { describe_lowering(g, s.lowering); });
  p.require(!s.lowering.compiled_graph || s.compiled_launch > 0, "compiled_launch_ns",
            "expected a launch time > 0 where lowering.compiled_graph is true");
  p.require(!s.lowering.graph_executor || s.compiled_launch > 0, "compiled_launch_ns",
            "expected a launch time > 0 where lowering.graph_executor is true");
}

}  // namespace

double GpuConfig::peak_flops() const {
  if (sm.fma_per_tensor_core_clock > 0) return 2.0 * sm.peak_macs_per_s();
  return 2.0 * sm.sms * sm.cuda_cores_per_sm * sm.cuda_ops_per_core_clock * clock;  // an FMA is two FLOPs
}

const GpuStack* GpuConfig::active_profile() const {
  for (const auto& p : profiles) {
    if (p.name == profile) return &p;
  }
  return nullptr;
}

void describe(ParamVisitor& v, GpuConfig& c) {
  using S = ParamSpec;
  v.real("clock_mhz", c.clock, S::positive("MHz", 1e6, "SM clock").at_most(1e5));       // 100 GHz
  v.integer("sms", c.sm.sms, S::count("", "streaming multiprocessors").at_most(4096));  // H100: 132
  v.group("tensor_cores", [&](ParamVisitor& g) { describe_tensor_cores(g, c.sm); });
  v.group("cuda_cores", [&](ParamVisitor& g) { describe_cuda_cores(g, c.sm); });
  v.group("l2", [&](ParamVisitor& g) { describe(g, c.l2); });
  v.group("hbm", [&](ParamVisitor& g) { describe(g, c.hbm); });
  v.group("memory_path", [&](ParamVisitor& g) { describe(g, c.memory); });
  v.group("energy", [&](ParamVisitor& g) { describe_energy(g, c.energy); });
  v.group("area", [&](ParamVisitor& g) { describe_area(g, c.area); });
  v.group("stack", [&](ParamVisitor& st) {
    st.word("profile", c.profile, {}, "the active profile of `profiles`");
    named_entries(st, "profiles", c.profiles, describe_profile);
    std::string names;
    for (const auto& p : c.profiles) names += (names.empty() ? "" : ", ") + p.name;
    st.require(c.active_profile() != nullptr, "profile", "no profile '" + c.profile + "' (profiles: " + names + ")");
  });
}

void derive(GpuConfig& c) {
  c.sm.clock = c.clock;
  const GpuStack* s = c.active_profile();
  if (!s) return;  // rejected by describe()'s rule before anything is built
  c.sm.cuda_efficiency = s->cuda_efficiency;
  c.sm.cuda_gemm_efficiency = s->cuda_gemm_efficiency;
  c.sm.block_overhead_cycles = s->block_overhead_cycles;
  c.sm.tensor_efficiency = s->tensor_efficiency;
  c.sm.costs.depthwise_mac = s->depthwise_ops_per_mac;
  c.hbm.set_efficiency(s->hbm_efficiency);
  c.launch.overhead = s->launch_overhead;
  c.launch.compiled_overhead = s->compiled_launch;
  c.lowering = s->lowering;
}

std::string key_alias(const GpuConfig& c, const std::string& key) {
  const std::string active = "stack.profiles." + c.profile + ".";
  if (key.rfind("lowering.", 0) == 0) return active + key;
  if (key.rfind("stack.", 0) == 0 && key != "stack.profile" && key.rfind("stack.profiles.", 0) != 0) {
    return active + key.substr(6);
  }
  return key;
}

std::vector<std::string> supported_precisions(const GpuConfig& c) {
  std::vector<std::string> out;
  for (auto t : traces::all_dtypes()) {
    if (c.sm.tensor_fma.supports(t) || c.sm.cuda_ops.supports(t)) out.push_back(traces::dtype_name(t));
  }
  return out;
}

AreaInputs area_inputs(const GpuConfig& c) {
  AreaInputs in;
  const double cores = static_cast<double>(c.sm.sms) * c.sm.tensor_cores_per_sm;
  for (size_t i = 0; i < in.macs_per_cycle.rate.size(); ++i)
    in.macs_per_cycle.rate[i] = cores * c.sm.tensor_fma.rate[i];
  in.alus = static_cast<double>(c.sm.sms) * c.sm.cuda_cores_per_sm;
  in.sram_mib = c.l2.capacity / (1024.0 * 1024.0);
  return in;
}

MemoryLayout memory_layout(const GpuConfig& c) { return {c.hbm.capacity, 1, 1}; }

}  // namespace rp::accel
