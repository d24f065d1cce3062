#include "accel_models/gpu/gpu_kernels.h"

#include "accel_models/lowering/attention.h"
#include "accel_models/lowering/element_ops.h"
#include "accel_models/lowering/gemm_shape.h"
#include "accel_models/lowering/layout.h"

namespace rp::accel {

using traces::Act;
using traces::Layer;
using traces::LayerKind;

bool gpu_may_fuse(const Layer& l, const GpuLoweringParams& p) {
  switch (l.kind) {
    case LayerKind::kBatchNorm:
    case LayerKind::kFlatten:
      return true;
    case LayerKind::kAdd:
      return p.fuse_residual_add;
    case LayerKind::kActivation:
      switch (l.act) {
        case Act::kReLU:
        case Act::kReLU6:
          return p.fuse_relu;
        case Act::kSwish:
        case Act::kHSwish:
        case Act::kGELU:  // a transcendental epilogue like swish (cuBLASLt has a GELU epilogue)
          return p.fused_swish;
        case Act::kSigmoid:
        case Act::kHSigmoid:
        case Act::kTanh:
        case Act::kSqrt:
          return false;
      }
      return false;
    default:
      return false;
  }
}

FusionPolicy gpu_fusion_policy(const GpuLoweringParams& p) {
  FusionPolicy f;
  f.fuse_elementwise = true;
  f.fuse_reductions = false;
  f.fuse_input_elementwise = false;
  f.may_fuse = [p](const Layer& l) { return gpu_may_fuse(l, p); };
  return f;
}

namespace {

bool on_tensor_cores(const Layer& l) {
  return l.kind == LayerKind::kDense || l.kind == LayerKind::kMatMul || l.kind == LayerKind::kAttention ||
         (l.kind == LayerKind::kConv2D && !l.is_depthwise());
}

// Bytes a layer reads from HBM besides its activation inputs: conv / dense weights, the rows an embedding gathers
// (its output, not the whole table), the KV cache attention reads.
int64_t extra_reads(const traces::Network& net, int id) {
  const Layer& l = net.layer(id);
  switch (l.kind) {
    case LayerKind::kConv2D:
    case LayerKind::kDense:
      return l.params * traces::dtype_bytes(net.dtype());
    case LayerKind::kEmbedding:
      return net.output_bytes(id);
    case LayerKind::kAttention:
      return kv_cache_bytes(net, l);
    default:
      return 0;
  }
}

// The kernel's tensor-core GEMM. Off `packed`, groups (and a batched GEMM's batch elements) are stacked along M:
// groups x m rows of the group's k and n. `packed` (a grouped conv under lowering.grouped_conv_packed): one GEMM of m
// rows whose n holds every group side by side, each group's n padded to `granule`, and whose k is one group's.
void set_gemm(GpuKernel& kr, const GemmShape& s, bool packed, int64_t granule) {
  if (packed && s.groups > 1) {
    kr.m = s.m;
    kr.k = s.k;
    kr.n = s.groups * ((s.n + granule - 1) / granule * granule);
    return;
  }
  kr.m = s.groups * s.m;
  kr.k = s.k;
  kr.n = s.n;
}

// MACs a GEMM at a precision the tensor cores lack issues on the CUDA cores: each group's N padded to `granule`
// (lowering.cuda_gemm_n_granule; 0: the useful MACs). Exact: useful = groups x m x k x n, issued scales n.
double cuda_gemm_macs(const traces::Network& net, const Layer& l, int64_t granule) {
  const auto useful = static_cast<double>(l.macs);
  if (granule <= 0) return useful;
  const GemmShape s = gemm_shape(net, l);
  if (s.n <= 0) return useful;
  const int64_t padded = (s.n + granule - 1) / granule * granule;
  return useful * static_cast<double>(padded) / static_cast<double>(s.n);
}

}  // namespace

GpuKernel gpu_kernel(const traces::Network& net, const FusionGroup& g, const GpuConfig& c,
                     const traces::Consumers& consumers) {
  GpuKernel kr;
  bool free_only = true;
  for (int id : g.members) {
    const Layer& l = net.layer(id);
    const bool free = is_view(l) || free_layout(net, id, consumers, Layout::kRowMajor) ||
                      (c.lowering.concat_in_place && concat_in_place(net, id, consumers, Layout::kRowMajor));
    kr.macs += l.macs;
    free_only = free_only && free;
    kr.cuda_ops += layout_element_ops(net, id, free, c.sm.costs, true, true);  // BN folds; depthwise on CUDA cores
    kr.weight_bytes += extra_reads(net, id);
    if (on_tensor_cores(l) && c.sm.fma_per_tensor_core_clock <= 0) {
      // A precision the tensor cores lack: one CUDA-core FMA per MAC, at the GEMM efficiency. Counted in element-op
      // units (the SM array times them at cuda_efficiency): issued MACs x cuda_efficiency / cuda_gemm_efficiency.
      kr.cuda_ops +=
          cuda_gemm_macs(net, l, c.lowering.cuda_gemm_n_granule) * c.sm.cuda_efficiency / c.sm.cuda_gemm_efficiency;
    } else if (on_tensor_cores(l)) {
      const GemmShape s = gemm_shape(net, l);
      set_gemm(kr, s, l.kind == LayerKind::kConv2D && c.lowering.grouped_conv_packed,
               c.lowering.grouped_conv_n_granule);
    }
  }
  for (int p : g.external_inputs) {
    // A concat placed in place is its operands where their producers wrote them: read (and kept in L2) as those.
    const bool in_place = c.lowering.concat_in_place && concat_in_place(net, p, consumers, Layout::kRowMajor);
    if (!in_place) {
      kr.inputs.push_back({p, net.output_bytes(p)});
      continue;
    }
    for (int q : net.layer(p).inputs) kr.inputs.push_back({q, net.output_bytes(q)});
  }
  for (int o : g.outputs) kr.outputs.push_back({o, net.output_bytes(o)});
  kr.unit = kr.m > 0 ? "tensor" : (free_only ? "none" : "cuda");
  return kr;
}

}  // namespace rp::accel
