#pragma once
// The GEMM a convolution or dense layer becomes (implicit GEMM / im2col view), the same for every family:
//   m = batch x output pixels (N x Ho x Wo), k = kh x kw x Cin / groups, n = filters / groups, in `groups`
// independent groups (a dense layer: k = input channels, n = units, one group).
#include <cstdint>

#include "traces/network/network.h"

namespace rp::accel {

struct GemmShape {
  int64_t m = 0, k = 0, n = 0, groups = 1;
};

GemmShape gemm_shape(const traces::Network& net, const traces::Layer& l);

}  // namespace rp::accel
