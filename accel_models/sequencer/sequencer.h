#pragma once
// The dispatch path of a core: every fusion (TPU sequencer) or kernel (GPU launch) pays a fixed overhead here
// before its first transfer, and dispatches are serialised (one unit). A dispatch task's Task::aux names the cost
// it pays: kFrameworkDispatch (0, every task a family does not mark) the overhead, kCompiledLaunch the
// driver's launch (a GPU kernel launched without the framework's per-op dispatch: GpuLoweringParams::compiled_graph
// and graph_executor). A dispatch task's Task::ops, when above 1, is how many dispatches it stands for: the
// overhead is paid that many times (GpuLoweringParams::dispatch_per_op: one per framework op of an eager kernel).
#include <algorithm>
#include <cstdint>
#include <string>

#include "simulator/unit_model.h"

namespace rp::accel {

class ParamVisitor;

enum DispatchCost : int32_t { kFrameworkDispatch = 0, kCompiledLaunch = 1 };

struct SequencerParams {
  double overhead = 0;           // seconds per dispatch
  double compiled_overhead = 0;  // seconds per kCompiledLaunch dispatch (the driver's launch)
};

// One key, `overhead_key` (TPU `sequencer.dispatch_overhead_ns`, GPU `launch.overhead_ns`), in ns.
void describe(ParamVisitor& v, SequencerParams& p, const char* overhead_key);

class Sequencer : public sim::IUnitModel {
 public:
  Sequencer(std::string name, const SequencerParams& p) : name_(std::move(name)), p_(p) {}
  const std::string& name() const override { return name_; }
  sim::Ps service(const sim::Task& t, sim::Ps) override {
    const double times = std::max(1.0, t.ops);  // Task::ops: how many dispatches this task stands for
    return sim::ps_from_seconds(t.aux == kCompiledLaunch ? p_.compiled_overhead : p_.overhead * times);
  }

 private:
  std::string name_;
  SequencerParams p_;
};

}  // namespace rp::accel
