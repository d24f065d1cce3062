#include "accel_models/vector_unit/vector_unit.h"

#include <cmath>

#include "accel_models/config/param_checks.h"

namespace rp::accel {

VectorCosts VectorCosts::parse(const traces::YamlMap& m) {
  VectorCosts c;
  m.reject_unknown({"relu", "relu6", "swish", "hswish", "sigmoid", "add", "mul", "batch_norm", "reduce", "pool",
                    "copy", "depthwise_mac"});
  c.relu = non_negative(m, "relu");
  c.relu6 = non_negative(m, "relu6");
  c.swish = non_negative(m, "swish");
  c.hswish = non_negative(m, "hswish");
  c.sigmoid = non_negative(m, "sigmoid");
  c.add = non_negative(m, "add");
  c.mul = non_negative(m, "mul");
  c.batch_norm = non_negative(m, "batch_norm");
  c.reduce = non_negative(m, "reduce");
  c.pool = non_negative(m, "pool");
  c.copy = non_negative(m, "copy");
  c.depthwise_mac = non_negative(m, "depthwise_mac");
  return c;
}

double VectorCosts::activation(traces::Act a) const {
  switch (a) {
    case traces::Act::kReLU: return relu;
    case traces::Act::kReLU6: return relu6;
    case traces::Act::kSwish: return swish;
    case traces::Act::kHSwish: return hswish;
    case traces::Act::kSigmoid: return sigmoid;
  }
  return relu;
}

double VectorCosts::layer_ops(const traces::Network& net, const traces::Layer& l, bool fold_batch_norm,
                              bool depthwise_here) const {
  using traces::LayerKind;
  const double out = static_cast<double>(l.output.elements());
  switch (l.kind) {
    case LayerKind::kBatchNorm: return (l.foldable && fold_batch_norm) ? 0 : out * batch_norm;
    case LayerKind::kActivation: return out * activation(l.act);
    case LayerKind::kAdd: return out * add;
    case LayerKind::kMul: return out * mul;
    case LayerKind::kGlobalAvgPool: return static_cast<double>(net.layer(l.inputs[0]).output.elements()) * reduce;
    case LayerKind::kMaxPool:
    case LayerKind::kAvgPool: return out * l.conv.kernel_h * l.conv.kernel_w * pool;
    case LayerKind::kSpaceToDepth:
    case LayerKind::kSpaceToBatch:
    case LayerKind::kConcat:
    case LayerKind::kSplit:
    case LayerKind::kChannelShuffle: return out * copy;
    case LayerKind::kConv2D:
      if (l.is_depthwise() && depthwise_here) return static_cast<double>(l.macs) * depthwise_mac;
      return l.conv.bias ? out * add : 0;
    case LayerKind::kDense: return l.conv.bias ? out * add : 0;
    case LayerKind::kInput:
    case LayerKind::kFlatten: return 0;
  }
  return 0;
}

VectorParams VectorParams::parse(const traces::YamlMap& m) {
  VectorParams p;
  p.lanes = static_cast<int>(positive_int(m, "lanes"));
  p.sublanes = static_cast<int>(positive_int(m, "sublanes"));
  p.alus_per_lane = static_cast<int>(positive_int(m, "alus_per_lane"));
  p.pass_overhead_cycles = non_negative(m, "pass_overhead_cycles");
  p.costs = VectorCosts::parse(m.map("cost_per_element"));
  return p;
}

double VectorUnit::cycles(double ops) const {
  if (ops <= 0) return 0;
  return p_.pass_overhead_cycles + std::ceil(ops / p_.ops_per_cycle());
}

sim::Ps VectorUnit::service(const sim::Task& task, sim::Ps) {
  return sim::ps_from_seconds(cycles(task.ops) / p_.clock);
}

}  // namespace rp::accel
