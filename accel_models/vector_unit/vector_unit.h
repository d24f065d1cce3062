#pragma once
// SIMD vector unit (TPU VPU): lanes x sublanes x ALUs per lane element operations per cycle. A task carries the
// number of element operations (task.ops) already weighted by the per-element cost table; its time is
//     cycles = pass_overhead + ceil(ops / (lanes * sublanes * alus_per_lane)),  time = cycles / clock.
// Depthwise convolutions, activations, batch norm, elementwise add/mul, pooling, SE reductions and layout copies
// all run here, so they contend for it.
#include <string>

#include "simulator/unit_model.h"
#include "traces/network/network.h"
#include "traces/yaml/yaml_map.h"

namespace rp::accel {

// Element operations per output element (per window element for pooling, per MAC for depthwise).
struct VectorCosts {
  double relu = 1, relu6 = 2, swish = 4, hswish = 4, sigmoid = 3;
  double add = 1, mul = 1, batch_norm = 2;
  double reduce = 1, pool = 1, copy = 1, depthwise_mac = 2;
  static VectorCosts parse(const traces::YamlMap& m);
  double activation(traces::Act a) const;
  // Element operations of one layer (the TPU vector unit's and the GPU CUDA cores' work): 0 for views and for
  // GEMMs without bias; a foldable batch norm counts 0 when `fold_batch_norm`; a depthwise conv counts its MACs x
  // depthwise_mac when `depthwise_here` (else it is matrix-unit work).
  double layer_ops(const traces::Network& net, const traces::Layer& l, bool fold_batch_norm, bool depthwise_here) const;
};

struct VectorParams {
  int lanes = 128, sublanes = 8, alus_per_lane = 2;
  double pass_overhead_cycles = 0;
  double clock = 1e9;  // Hz, the core clock
  VectorCosts costs;
  static VectorParams parse(const traces::YamlMap& m);
  double ops_per_cycle() const { return static_cast<double>(lanes) * sublanes * alus_per_lane; }
};

class VectorUnit : public sim::IUnitModel {
 public:
  VectorUnit(std::string name, const VectorParams& p) : name_(std::move(name)), p_(p) {}
  const std::string& name() const override { return name_; }
  sim::Ps service(const sim::Task& task, sim::Ps now) override;
  double cycles(double ops) const;

 private:
  std::string name_;
  VectorParams p_;
};

// A core's instruction sequencer: every fusion (TPU) or kernel (GPU) pays a fixed dispatch / launch overhead here
// before its first transfer, and dispatches are serialised.
struct SequencerParams {
  double overhead = 0;  // seconds per dispatch (YAML dispatch_overhead_ns)
};

class Sequencer : public sim::IUnitModel {
 public:
  Sequencer(std::string name, const SequencerParams& p) : name_(std::move(name)), p_(p) {}
  const std::string& name() const override { return name_; }
  sim::Ps service(const sim::Task&, sim::Ps) override { return sim::ps_from_seconds(p_.overhead); }

 private:
  std::string name_;
  SequencerParams p_;
};

}  // namespace rp::accel
