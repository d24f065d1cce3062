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
