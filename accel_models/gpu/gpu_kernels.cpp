#include "accel_models/gpu/gpu_kernels.h"

#include "accel_models/lowering/element_ops.h"
#include "accel_models/lowering/gemm_shape.h"

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
  return l.kind == LayerKind::kDense || (l.kind == LayerKind::kConv2D && !l.is_depthwise());
}

}  // namespace

GpuKernel gpu_kernel(const traces::Network& net, const FusionGroup& g, const GpuConfig& c) {
  GpuKernel kr;
  bool views_only = true;
  const int bytes = traces::dtype_bytes(net.dtype());
  for (int id : g.members) {
    const Layer& l = net.layer(id);
    kr.macs += l.macs;
    views_only = views_only && is_view(l);
    kr.cuda_ops += element_ops(net, l, c.sm.costs, true, true);  // BN folds; depthwise on CUDA cores
    if (l.kind == LayerKind::kConv2D || l.kind == LayerKind::kDense) kr.weight_bytes += l.params * bytes;
    if (on_tensor_cores(l) && c.sm.fma_per_tensor_core_clock <= 0) {
      // A precision the tensor cores lack: one CUDA-core FMA per MAC, at the GEMM efficiency. Counted in element-op
      // units (the SM array times them at cuda_efficiency): macs x cuda_efficiency / cuda_gemm_efficiency.
      kr.cuda_ops += static_cast<double>(l.macs) * c.sm.cuda_efficiency / c.sm.cuda_gemm_efficiency;
    } else if (on_tensor_cores(l)) {  // groups stacked along M
      const GemmShape s = gemm_shape(net, l);
      kr.m = s.groups * s.m;
      kr.k = s.k;
      kr.n = s.n;
    }
  }
  for (int p : g.external_inputs) kr.inputs.push_back({p, net.output_bytes(p)});
  for (int o : g.outputs) kr.outputs.push_back({o, net.output_bytes(o)});
  kr.unit = kr.m > 0 ? "tensor" : (views_only ? "none" : "cuda");
  return kr;
}

}  // namespace rp::accel
