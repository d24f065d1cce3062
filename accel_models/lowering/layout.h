#pragma once
// Layout rules: whether a layout op (reshape, permute, slice, window partition / reverse, roll) only changes
// metadata under a family's memory layout (free: no kernel, no traffic) or really moves data (a copy pass: `copy`
// element operations per output element on the vector unit / CUDA cores plus its HBM round trip). Documented in
// docs/tpu-model.md ("Lowering of the transformer and layout ops").
//  - kRowMajor (GPU): a tensor is row-major in (n, h, w, c). A reshape is always free; a permute is free when it
//    keeps the order of the dimensions larger than 1; a slice is free when every dimension before its axis is 1
//    (a contiguous block); a window partition / reverse is free when the window spans the whole width (each window
//    is a contiguous run of rows); a roll is free when its shift is a multiple of both h and w.
//  - kTiled (TPU): the last two dimensions are tiled (XLA's (8, 128) tiling of the minor dimensions), so on top of
//    the row-major rules a reshape or permute must keep the last dimension (c), a permute also the second-minor
//    one (w), and a slice must be along n or h.
//  - both: a permute that only swaps the last two dimensions and whose every consumer is a matmul is absorbed into
//    the GEMM (XLA's dot_general dimension numbers, cuBLAS's op(B)): free.
// Concat is a copy (every input is read and written into the output) unless the stack places it in place
// (concat_in_place below, the switch stack.lowering.concat_in_place); flatten keeps its own rule (fusion.h views).
#include <vector>

#include "accel_models/lowering/element_ops.h"
#include "traces/network/network.h"

namespace rp::accel {

enum class Layout { kRowMajor, kTiled };

// Whether layer `id` of `net` moves no data under `layout`; `consumers` as Network::consumers(). Layers that are not
// layout ops are never free.
bool free_layout(const traces::Network& net, int id, const traces::Consumers& consumers, Layout layout);

// Whether concat layer `id` can be placed in place (docs/tpu-model.md, "Concatenation and multi-branch modules"):
// each operand is written by the layer that produces it straight into its slice of the concat's buffer, so the
// concat itself reads, writes and computes nothing. It holds when every operand is a tensor a layer computes and
// writes (not a network input or constant, a view, a layout op that is free under `layout`, or another concat),
// appears once among the operands, and is an operand of no other concat (a tensor has one place in memory).
// Layers that are not concats never are.
bool concat_in_place(const traces::Network& net, int id, const traces::Consumers& consumers, Layout layout);

// Element operations of layer `id` when it runs: 0 where it is free, a copy per element for a reshape that is not
// free, element_ops() otherwise.
double layout_element_ops(const traces::Network& net, int id, bool free, const ElementCosts& c, bool fold_batch_norm,
                          bool depthwise_here);

}  // namespace rp::accel
