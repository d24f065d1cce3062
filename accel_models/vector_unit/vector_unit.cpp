#include "accel_models/vector_unit/vector_unit.h"

#include <cmath>

namespace rp::accel {

double VectorUnit::cycles(double ops) const {
  if (ops <= 0) return 0;
  return p_.pass_overhead_cycles + std::ceil(ops / p_.ops_per_cycle());
}

sim::Ps VectorUnit::service(const sim::Task& task, sim::Ps) {
  if (task.ops > 0) ops_ += task.ops;
  return sim::ps_from_seconds(cycles(task.ops) / p_.clock);
}

void VectorUnit::register_stats(sim::StatGroup& group) {
  group.add("element_ops", "element operations executed (cost-table weighted)", "", &ops_);
}

}  // namespace rp::accel
