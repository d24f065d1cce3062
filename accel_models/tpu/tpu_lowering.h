#pragma once
// TPU lowering: fused groups (XLA-like fusions) -> per-core tasks on the sequencer, DMA engines, matrix unit and
// vector unit. Documented in docs/tpu-model.md. Rules:
//  - fusion as in accel_models/lowering/fusion.h, with the switches of TpuLoweringParams;
//  - conv / dense anchors run on the matrix unit as GEMMs (M = batch x output pixels, K = kh x kw x Cin / groups,
//    N = filters / groups); depthwise convs, pooling, layout copies and every elementwise op run on the vector unit;
//  - every fusion reads its external inputs and weights from HBM and writes its outputs back;
//  - the batch is split over the cores (data parallel, private HBM each);
//  - a fusion is cut into tiles that fit half of vector memory (double buffering): load(i) -> [prologue(i)] ->
//    gemm(i) -> vector(i) -> store(i), with load(i) waiting for tile i-2's compute (two buffers). Weights that do
//    not fit `weight_buffer_fraction` of vector memory are split by output channel and the inputs are re-read once
//    per weight chunk (the extra HBM traffic of a layer that does not fit);
//  - each fusion pays the sequencer's dispatch overhead once per core after its producers have finished.
#include <cstdint>
#include <string>

#include "accel_models/common/accelerator.h"
#include "accel_models/lowering/fusion.h"
#include "accel_models/tpu/tpu_config.h"

namespace rp::accel {

// Work of one fusion for the whole batch (before splitting over cores and tiles).
struct TpuGroupWork {
  int64_t m = 0, k = 0, n = 0, gemm_groups = 0;  // GEMM on the matrix unit (m = 0: none)
  double vector_prologue_ops = 0;                // input-fused elementwise ops (before the GEMM)
  double vector_ops = 0;                         // everything else on the vector unit
  double in_bytes = 0, out_bytes = 0, weight_bytes = 0;
  int64_t rows = 1;                              // output rows over the batch (N x H_out): the tiling grain
  int64_t macs = 0;
  std::string unit;                              // "matrix", "vector" or "dma"
};

TpuGroupWork tpu_group_work(const traces::Network& net, const FusionGroup& g, const TpuConfig& c);
FusionPolicy tpu_fusion_policy(const TpuLoweringParams& p);
Lowered lower_tpu(const traces::Network& net, const TpuConfig& c);

}  // namespace rp::accel
