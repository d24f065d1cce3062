#pragma once
// The dispatch path of a core: every fusion (TPU sequencer) or kernel (GPU launch) pays a fixed overhead here
// before its first transfer, and dispatches are serialised (one unit).
#include <string>

#include "simulator/unit_model.h"

namespace rp::accel {

class ParamVisitor;

struct SequencerParams {
  double overhead = 0;  // seconds per dispatch
};

// One key, `overhead_key` (TPU `sequencer.dispatch_overhead_ns`, GPU `launch.overhead_ns`), in ns.
void describe(ParamVisitor& v, SequencerParams& p, const char* overhead_key);

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
