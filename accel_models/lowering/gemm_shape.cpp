#include "accel_models/lowering/gemm_shape.h"

namespace rp::accel {

namespace {

GemmShape matmul_shape(const traces::Network& net, const traces::Layer& l) {
  const traces::Shape a = net.layer(l.inputs[0]).output, b = net.layer(l.inputs[1]).output;
  GemmShape g;
  g.k = a.c;
  g.n = l.output.c;
  if (b.n * b.h == 1) {  // one shared second operand: one GEMM over every row
    g.m = l.output.n * l.output.h * l.output.w;
    return g;
  }
  g.groups = l.output.n * l.output.h;
  g.m = l.output.w;
  g.batched = g.groups > 1;
  return g;
}

GemmShape attention_shape(const traces::Network& net, const traces::Layer& l) {
  const traces::Shape q = net.layer(l.inputs[0]).output, k = net.layer(l.inputs[1]).output;
  const int64_t keys = k.w + l.cache_len, dv = l.output.c;
  GemmShape g;
  g.groups = q.n * q.h;
  g.m = q.w;
  g.k = q.c;
  g.n = (keys * (q.c + dv) + q.c - 1) / q.c;
  g.batched = g.groups > 1;
  return g;
}

}  // namespace

GemmShape gemm_shape(const traces::Network& net, const traces::Layer& l) {
  if (l.kind == traces::LayerKind::kMatMul) return matmul_shape(net, l);
  if (l.kind == traces::LayerKind::kAttention) return attention_shape(net, l);
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
