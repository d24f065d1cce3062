#pragma once
// GPU software-stack rules (cuDNN / TensorRT-like): which layers share a kernel, and what each kernel does.
// Documented in docs/gpu-model.md.
//
// Kernels are the fusion groups of accel_models/lowering/fusion.h under this policy:
//  - batch norm joins the producing kernel (folded into the conv weights when foldable: no work; otherwise a
//    scale-and-shift in the epilogue);
//  - ReLU / ReLU6 join the producing kernel's epilogue (lowering.fuse_relu; cuDNN's fused
//    convolution-bias-activation supports ReLU);
//  - a residual add joins the conv that produces its full-size operand, reading the other operand in the epilogue
//    (lowering.fuse_residual_add; the z term of that same fused cuDNN call, and TensorRT's conv+add+ReLU fusion);
//  - swish / hswish are separate kernels unless lowering.fused_swish;
//  - sigmoid, the SE multiply, global pooling, max / avg pooling and layout ops are always separate kernels;
//  - softmax, layer norm, embedding and attention are kernels of their own (elementwise consumers join them by the
//    rules above); layout ops follow lowering/layout.h under row-major memory (Layout::kRowMajor): a kernel of free
//    ones (a reshape, a permute of size-1 dims, ...) launches nothing, any other is a copy kernel;
//  - with lowering.concat_in_place, a concat that lowering/layout.h's concat_in_place places in place launches
//    nothing, and a kernel reading it reads its operands (as the tensors their producers wrote);
//  - no input (prologue) fusion and no reduction fusion.
// Work of a kernel: a conv (not depthwise), dense, matmul or fused attention layer is a tensor-core GEMM
// (lowering/gemm_shape.h; a batched matmul's or attention's batch x heads GEMMs stacked along M like groups) (at a precision the tensor cores
// lack, e.g. fp32 on V100: one CUDA-core FMA per MAC instead) with M = batch x output pixels,
// K = kh x kw x Cin / groups, N = filters / groups (groups > 1 stacked along M: groups x M rows; with
// lowering.grouped_conv_packed a grouped conv is instead one GEMM of M rows, K per group, and N = groups x the
// group's filters padded to lowering.grouped_conv_n_granule; on the CUDA cores each group's N is padded to
// lowering.cuda_gemm_n_granule when it is set); everything else,
// depthwise convs included, is CUDA-core element operations weighted by cuda_cores.cost_per_element. A kernel reads
// its external inputs and its weights and writes its outputs (unique bytes: re-reads inside a kernel hit on chip).
#include <cstdint>
#include <string>
#include <vector>

#include "accel_models/gpu/gpu_config.h"
#include "accel_models/lowering/fusion.h"
#include "traces/network/network.h"

namespace rp::accel {

struct GpuTensor {
  int layer = -1;  // producing layer id
  int64_t bytes = 0;
};

struct GpuKernel {
  int64_t m = 0, k = 0, n = 0;     // tensor-core GEMM (m = 0: none)
  double cuda_ops = 0;             // CUDA-core element operations (cost-weighted)
  std::vector<GpuTensor> inputs;   // activations read
  int64_t weight_bytes = 0;        // read from HBM besides the inputs: conv / dense weights and biases, embedding
                                   // rows gathered, attention's KV cache
  std::vector<GpuTensor> outputs;  // activations written
  int64_t macs = 0;
  std::string unit;  // "tensor", "cuda" or "none" (a view: no kernel is launched)
};

// Whether `l` may join its producer's kernel (rule 1 of fusion.h) under the GPU rules above.
bool gpu_may_fuse(const traces::Layer& l, const GpuLoweringParams& p);
FusionPolicy gpu_fusion_policy(const GpuLoweringParams& p);
// `consumers` as Network::consumers() (the layout rules need them).
GpuKernel gpu_kernel(const traces::Network& net, const FusionGroup& g, const GpuConfig& c,
                     const traces::Consumers& consumers);

}  // namespace rp::accel
