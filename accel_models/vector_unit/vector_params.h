#pragma once
// Typed parameters of the SIMD vector unit (vector_unit.h).
#include "accel_models/lowering/element_ops.h"

namespace rp::accel {

class ParamVisitor;

struct VectorParams {
  int lanes = 0, sublanes = 0, alus_per_lane = 0;
  double pass_overhead_cycles = 0;  // issue / pipeline latency per vector pass
  ElementCosts costs;               // read by the lowering (element_ops.h), not by the unit
  double clock = 0;                 // Hz: the chip clock (not a key of this section)
  double ops_per_cycle() const { return static_cast<double>(lanes) * sublanes * alus_per_lane; }
};

// The `vector_unit` section: lanes, sublanes, alus_per_lane, pass_overhead_cycles, cost_per_element.
void describe(ParamVisitor& v, VectorParams& p);

}  // namespace rp::accel
