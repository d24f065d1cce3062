#pragma once
// GPU lowering: kernels (gpu_kernels.h) -> tasks on the launch path, the SMs' memory paths, L2 and the SM array.
// Documented in docs/gpu-model.md. Rules:
//  - kernels run in one stream, in the fusion's topological order: a kernel is launched only after the previous
//    one has finished, and every launch pays the launch overhead on the (serialising) launch unit;
//  - a kernel reads its inputs (the L2-resident share from L2, the rest from HBM; L2Residency decides), reads its
//    weights from HBM, computes on the SM array and writes its outputs to HBM;
//  - a kernel is cut into T = clamp(ceil(bytes moved / tile_kib), 1, max_tiles) equal parts pipelined as
//    hbm/l2 load(i) -> compute(i) -> store(i), with load(i) also waiting for compute(i - 2) (two parts in flight),
//    so memory traffic overlaps compute inside a kernel; weights are loaded with part 0. Each compute task
//    carries the whole kernel and T (SmArray times quantization over the whole kernel and charges 1/T);
//  - views (flatten) launch nothing.
// Task kinds: kDispatch (launch), kLoad / kStore (HBM traffic: the bytes the results count as Q), kCompute, and
// kL2Load (reads served by L2, not HBM traffic).
#include <cstdint>

#include "accel_models/common/accelerator.h"
#include "accel_models/gpu/gpu_config.h"

namespace rp::accel {

// GPU-specific Task::kind: an input read served from L2 (task.bytes are not HBM traffic).

Lowered lower_gpu(const traces::Network& net, const GpuConfig& c);

}  // namespace rp::accel
