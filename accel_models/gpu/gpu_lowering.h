#pragma once
// GPU lowering rules (cuDNN / TensorRT-like), on the shared skeleton (lowering/skeleton.h): kernels
// (gpu_kernels.h) -> tasks on the launch path, the SMs' memory paths, L2 and the SM array. Documented in
// docs/gpu-model.md. Rules:
//  - one core; kernels run in one stream in the fusion's topological order (stream order): a kernel is launched
//    only after the previous one has finished, and every launch pays the launch overhead;
//  - a kernel reads its inputs (the L2-resident share from L2, the rest from HBM; L2Residency decides, once, in
//    kernel order), reads its weights from HBM, computes on the SM array and writes its outputs to HBM;
//  - a kernel is cut into T = clamp(ceil(bytes moved / tile_kib), 1, max_tiles) equal parts pipelined as
//    hbm/l2 load(i) -> compute(i) -> store(i), so memory traffic overlaps compute inside a kernel; weights are
//    loaded with part 0. Each compute task carries the whole kernel and T (SmArray times quantization over the
//    whole kernel and charges 1/T);
//  - views (flatten, reshape) and layout ops free under row-major memory (lowering/layout.h) launch nothing.
// Task kinds: kDispatch (launch), kLoad / kStore (HBM traffic: the bytes the results count as Q), kCompute, and
// kL2Load (reads served by L2, not HBM traffic).
#include <memory>

#include "accel_models/gpu/gpu_config.h"
#include "accel_models/lowering/skeleton.h"

namespace rp::accel {

// The config at one precision: the tensor cores' rate for it (0: its GEMMs run on the CUDA cores), the CUDA
// cores' rate for it (or their fp32 rate when they have none, e.g. int8: dequantized element arithmetic).
GpuConfig at_precision(const GpuConfig& c, traces::DType precision);
std::unique_ptr<IFamilyRules> gpu_rules(const GpuConfig& c);
std::shared_ptr<const IAccelerator> make_accelerator_of(AcceleratorInfo info, const GpuConfig& c);

}  // namespace rp::accel
