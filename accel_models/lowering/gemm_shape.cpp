#include "accel_models/lowering/gemm_shape.h"

namespace rp::accel {

GemmShape gemm_shape(const traces::Network& net, const traces::Layer& l) {
  const traces::Shape in = net.layer(l.inputs[0]).output;
  GemmShape g;
  const bool dense = l.kind == traces::LayerKind::kDense;
  g.groups = dense ? 1 : l.conv.groups;
  g.m = l.output.n * l.output.h * l.output.w;
  g.k = dense ? in.c : int64_t{l.conv.kernel_h} * l.conv.kernel_w * (in.c / g.groups);
  g.n = l.conv.filters / g.groups;
  return g;
}

}  // namespace rp::accel
