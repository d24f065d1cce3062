#include "accel_models/lowering/layout.h"

#include <algorithm>

#include "accel_models/lowering/fusion.h"

namespace rp::accel {

using traces::Layer;
using traces::LayerKind;
using traces::Shape;

namespace {

// The dimensions larger than 1, in order, as (input dimension index) under `perm`.
bool keeps_order_of_large_dims(const Shape& in, const std::array<int, 4>& perm) {
  int last = -1;
  for (int p : perm) {
    if (in.dim(p) == 1) continue;
    if (p < last) return false;
    last = p;
  }
  return true;
}

bool absorbed_into_matmuls(const traces::Network& net, const Layer& l, traces::Consumers::Range consumers) {
  if (l.perm != std::array<int, 4>{{0, 1, 3, 2}} || consumers.empty()) return false;
  for (int c : consumers) {
    if (net.layer(c).kind != LayerKind::kMatMul) return false;
  }
  return true;
}

bool free_permute(const traces::Network& net, const Layer& l, traces::Consumers::Range consumers, Layout layout) {
  if (l.perm[0] < 0) return false;  // a general relayout
  if (absorbed_into_matmuls(net, l, consumers)) return true;
  const Shape in = net.layer(l.inputs[0]).output;
  if (!keeps_order_of_large_dims(in, l.perm)) return false;
  return layout == Layout::kRowMajor || (l.output.c == in.c && l.output.w == in.w);
}

bool free_slice(const Shape& in, const Layer& l, Layout layout) {
  for (int i = 0; i < l.axis; ++i) {
    if (in.dim(i) != 1) return false;
  }
  return layout == Layout::kRowMajor || l.axis <= 1;
}

}  // namespace

bool free_layout(const traces::Network& net, int id, const traces::Consumers& consumers, Layout layout) {
  const Layer& l = net.layer(id);
  switch (l.kind) {
    case LayerKind::kReshape:
      return layout == Layout::kRowMajor || l.output.c == net.layer(l.inputs[0]).output.c;
    case LayerKind::kPermute:
      return free_permute(net, l, consumers[static_cast<size_t>(id)], layout);
    case LayerKind::kSplit:
      return free_slice(net.layer(l.inputs[0]).output, l, layout);
    case LayerKind::kWindowPartition:
      return l.block == net.layer(l.inputs[0]).output.w;
    case LayerKind::kWindowReverse:
      return l.block == l.output.w;
    case LayerKind::kRoll:
      return l.shift % l.output.h == 0 && l.shift % l.output.w == 0;
    default:
      return false;
  }
}

bool concat_in_place(const traces::Network& net, int id, const traces::Consumers& consumers, Layout layout) {
  const Layer& l = net.layer(id);
  if (l.kind != LayerKind::kConcat) return false;
  for (int p : l.inputs) {
    const Layer& src = net.layer(p);
    if (src.kind == LayerKind::kInput || src.kind == LayerKind::kConstant || src.kind == LayerKind::kConcat ||
        is_view(src) || free_layout(net, p, consumers, layout)) {
      return false;
    }
    if (std::count(l.inputs.begin(), l.inputs.end(), p) > 1) return false;
    // An operand broadcast over the batch (batch 1 along another axis: a class token) fills every image's slice:
    // one write by its producer cannot.
    if (l.axis != 0 && src.output.n != l.output.n) return false;
    for (int c : consumers[static_cast<size_t>(p)]) {
      if (c != id && net.layer(c).kind == LayerKind::kConcat) return false;
    }
  }
  return true;
}

double layout_element_ops(const traces::Network& net, int id, bool free, const ElementCosts& c, bool fold_batch_norm,
                          bool depthwise_here) {
  const Layer& l = net.layer(id);
  if (free) return 0;
  if (l.kind == LayerKind::kReshape) return static_cast<double>(l.output.elements()) * c.copy;
  return element_ops(net, l, c, fold_batch_norm, depthwise_here);
}

}  // namespace rp::accel
