#pragma once
// Element operations: the work of every layer that is not a GEMM (activations, batch norm, add / mul, pooling,
// reductions, layout copies, depthwise convolutions), counted per output element and weighted by a per-accelerator
// cost table (the `cost_per_element` section of a TPU's vector unit and a GPU's CUDA cores). Lowering rules count
// it; the vector unit and the SM array only time the resulting task.ops.
#include "traces/network/network.h"

namespace rp::accel {

class ParamVisitor;

// Element operations per output element (per window element for pooling, per MAC for depthwise).
struct ElementCosts {
  double relu = 0, relu6 = 0, swish = 0, hswish = 0, sigmoid = 0, gelu = 0, hsigmoid = 0, tanh = 0, sqrt = 0;
  double add = 0, mul = 0, batch_norm = 0;
  double softmax = 0, layer_norm = 0;  // per element of the normalized row (the reduction included)
  double reduce = 0, pool = 0, copy = 0;
  double depthwise_mac = 0;  // not a key of this section: the stack's depthwise_ops_per_mac (software, fitted)
  double activation(traces::Act a) const;
};

// The `cost_per_element` section (ALU operations of each formula: a property of the instruction set); every key
// has a default.
void describe(ParamVisitor& v, ElementCosts& c);

// Element operations of one layer: 0 for views and for GEMMs without bias; a foldable batch norm counts 0 when
// `fold_batch_norm`; a depthwise conv counts its MACs x depthwise_mac when `depthwise_here` (else it is GEMM work).
double element_ops(const traces::Network& net, const traces::Layer& l, const ElementCosts& c, bool fold_batch_norm,
                   bool depthwise_here);

}  // namespace rp::accel
