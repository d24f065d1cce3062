#pragma once
// TPU lowering rules (XLA-like), on the shared skeleton (lowering/skeleton.h). Documented in docs/tpu-model.md.
//  - fusion as in lowering/fusion.h, with the switches of TpuLoweringParams;
//  - conv / dense / matmul / attention anchors run on the matrix unit as GEMMs (lowering/gemm_shape.h, groups as
//    independent passes, each its own weight tile: a batched matmul's operands are both activations, read as
//    inputs, no weights); a batched GEMM's batch elements are split over the cores and tiles, any other GEMM's rows;
//  - layout ops follow lowering/layout.h under the (8, 128) tiling (Layout::kTiled): a group of free ones runs
//    nothing; an embedding reads its gathered rows (its output), attention its KV cache, besides their inputs;
//    with stack.lowering.concat_in_place, a concat layout.h places in place is free the same way;
//  - attention fused (stack.lowering.fused_attention) is one fusion; unfused it is QK^T, scale, softmax, AV
//    (lowering/attention.h), the scale fused into QK^T, the softmax its own fusion;
//    depthwise convs, pooling, layout copies and every elementwise op run on the vector unit, their element
//    operations counted by lowering/element_ops.h and padded to whole lane rows (vector_lane_padding);
//  - every fusion reads its external inputs and weights from HBM and writes its outputs back;
//  - the batch is split over the cores (data parallel, private HBM each); groups follow their DAG dependencies;
//  - a fusion is cut into tiles that fit half of vector memory (double buffering). A step is
//    load (inputs, + weights on the first tile of each weight chunk) -> [vector prologue] -> gemm -> vector ->
//    store. Weights that do not fit `weight_buffer_fraction` of vector memory are split by output channel and the
//    inputs are re-read once per weight chunk (the extra HBM traffic of a layer that does not fit);
//  - each fusion pays the sequencer's dispatch overhead once per core.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "accel_models/lowering/skeleton.h"
#include "accel_models/tpu/tpu_config.h"

namespace rp::accel {

// Work of one fusion for the whole batch (before splitting over cores and tiles).
struct TpuGroupWork {
  int64_t m = 0, k = 0, n = 0, gemm_groups = 0;  // GEMM on the matrix unit (m = 0: none)
  bool batched = false;                          // the groups are batch elements (matmul, attention): split those
  double vector_prologue_ops = 0;                // input-fused elementwise ops (before the GEMM)
  double vector_ops = 0;                         // everything else on the vector unit
  double in_bytes = 0, out_bytes = 0, weight_bytes = 0;
  double shared_in_bytes = 0;  // inputs broadcast over the batch (n = 1): read whole by every core
  int64_t rows = 1;            // rows over the batch (N x H; a sequence N x S): tiling grain
  int64_t macs = 0;
  std::string unit;  // "matrix", "vector", "dma" or "none" (layout ops that are free: nothing runs)
};

// `consumers` as Network::consumers() (the layout rules need them).
TpuGroupWork tpu_group_work(const traces::Network& net, const FusionGroup& g, const TpuConfig& c,
                            const traces::Consumers& consumers);
std::unique_ptr<IFamilyRules> tpu_rules(const TpuConfig& c);
std::shared_ptr<const IAccelerator> make_accelerator_of(AcceleratorInfo info, const TpuConfig& c);

}  // namespace rp::accel
