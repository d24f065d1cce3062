#pragma once
// SIMD vector unit (TPU VPU): lanes x sublanes x ALUs per lane element operations per cycle. A task carries the
// number of element operations (task.ops) already weighted by the cost table (lowering/element_ops.h); its time is
//     cycles = pass_overhead + ceil(ops / (lanes * sublanes * alus_per_lane)),  time = cycles / clock.
// Depthwise convolutions, activations, batch norm, elementwise add/mul, pooling, SE reductions and layout copies
// all run here, so they contend for it. Counter (energy_model.h reads it): "element_ops", the sum of task.ops.
#include <string>

#include "accel_models/vector_unit/vector_params.h"
#include "simulator/unit_model.h"

namespace rp::accel {

class VectorUnit : public sim::IUnitModel {
 public:
  VectorUnit(std::string name, const VectorParams& p) : name_(std::move(name)), p_(p) {}
  const std::string& name() const override { return name_; }
  sim::Ps service(const sim::Task& task, sim::Ps now) override;
  double cycles(double ops) const;
  void reset() override { ops_.reset(); }
  void register_stats(sim::StatGroup& group) override;

 private:
  std::string name_;
  VectorParams p_;
  sim::Counter ops_;  // replayable: the group memo stays exact (simulator/stats.h)
};

}  // namespace rp::accel
