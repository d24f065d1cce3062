#pragma once
// The GEMM a layer becomes, the same for every family:
//  - conv (implicit GEMM / im2col view): m = batch x output pixels (N x Ho x Wo), k = kh x kw x Cin / groups,
//    n = filters / groups, in `groups` independent groups; a dense layer: m = N x H x W, k = input channels,
//    n = units, one group;
//  - matmul (.., M, K) x (.., K, N): one independent GEMM of m = M (rows, the w dim), k = K, n = N per batch
//    element of the output (groups = its n x h: batch x heads); a second operand shared by every batch element
//    (its n and h are 1, e.g. a constant weight) makes it one GEMM of m = N x H x M rows, like a dense layer;
//  - attention, fused (flash-style) into one GEMM of equal MACs per batch x head (groups = B x H): m = Sq, k = D,
//    n = ceil(keys x (D + Dv) / D) with keys = Skv + cache_len (n = 2 x keys when Dv = D). Fair because QK^T is
//    (Sq, D) x (D, keys) and AV is (Sq, keys) x (keys, Dv): the same MACs, and on a matrix unit of side R the
//    same weight-tile passes when D = Dv (QK^T pads D to R, AV pads Dv to R; here k = D pads once and n = 2 keys
//    counts the keys twice).
// `batched` says the groups are batch elements (matmul, attention): a family may split them over cores and tiles.
#include <cstdint>

#include "traces/network/network.h"

namespace rp::accel {

struct GemmShape {
  int64_t m = 0, k = 0, n = 0, groups = 1;
  bool batched = false;
};

// For a conv, dense, matmul or attention layer.
GemmShape gemm_shape(const traces::Network& net, const traces::Layer& l);

}  // namespace rp::accel
