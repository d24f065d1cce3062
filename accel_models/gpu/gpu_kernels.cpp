#include "accel_models/gpu/gpu_kernels.h"

namespace rp::accel {

using traces::Act;
using traces::Layer;
using traces::LayerKind;

bool gpu_may_fuse(const Layer& l, const GpuLoweringParams& p) {
  switch (l.kind) {
    case LayerKind::kBatchNorm:
    case LayerKind::kFlatten: return true;
    case LayerKind::kAdd: return p.fuse_residual_add;
    case LayerKind::kActivation:
      switch (l.act) {
        case Act::kReLU:
        case Act::kReLU6: return p.fuse_relu;
        case Act::kSwish:
        case Act::kHSwish: return p.fused_swish;
        case Act::kSigmoid: return false;
      }
      return false;
    default: return false;
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

// CUDA-core element operations of one layer (0 for tensor-core GEMMs without bias, and views).
double cuda_ops(const traces::Network& net, const Layer& l, const VectorCosts& k) {
  const double out = static_cast<double>(l.output.elements());
  switch (l.kind) {
    case LayerKind::kBatchNorm: return l.foldable ? 0 : out * k.batch_norm;
    case LayerKind::kActivation: return out * k.activation(l.act);
    case LayerKind::kAdd: return out * k.add;
    case LayerKind::kMul: return out * k.mul;
    case LayerKind::kGlobalAvgPool: return static_cast<double>(net.layer(l.inputs[0]).output.elements()) * k.reduce;
    case LayerKind::kMaxPool:
    case LayerKind::kAvgPool: return out * l.conv.kernel_h * l.conv.kernel_w * k.pool;
    case LayerKind::kSpaceToDepth:
    case LayerKind::kSpaceToBatch:
    case LayerKind::kConcat:
    case LayerKind::kSplit:
    case LayerKind::kChannelShuffle: return out * k.copy;
    case LayerKind::kConv2D:
      if (l.is_depthwise()) return static_cast<double>(l.macs) * k.depthwise_mac;
      return l.conv.bias ? out * k.add : 0;
    case LayerKind::kDense: return l.conv.bias ? out * k.add : 0;
    case LayerKind::kInput:
    case LayerKind::kFlatten: return 0;
  }
  return 0;
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
    kr.cuda_ops += cuda_ops(net, l, c.sm.costs);
    if (l.kind == LayerKind::kConv2D || l.kind == LayerKind::kDense) kr.weight_bytes += l.params * bytes;
    if (on_tensor_cores(l)) {
      const traces::Shape in = net.layer(l.inputs[0]).output;
      const int64_t groups = l.kind == LayerKind::kDense ? 1 : l.conv.groups;
      kr.m = groups * l.output.n * l.output.h * l.output.w;
      kr.k = l.kind == LayerKind::kDense ? in.c : int64_t{l.conv.kernel_h} * l.conv.kernel_w * (in.c / groups);
      kr.n = l.conv.filters / groups;
    }
  }
  for (int p : g.external_inputs) kr.inputs.push_back({p, net.output_bytes(p)});
  for (int o : g.outputs) kr.outputs.push_back({o, net.output_bytes(o)});
  kr.unit = kr.m > 0 ? "tensor" : (views_only ? "none" : "cuda");
  return kr;
}

}  // namespace rp::accel
