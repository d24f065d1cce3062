#pragma once
// The figures LACS records of a scaled network, from the run's memoized evaluator (accel_models/evaluate.h: one
// accel::Evaluator per accelerator and batch), keyed by network_key(spec) (lacs/scaling.h): many triplets round to
// the same network and share one simulation. An infeasible network (it cannot be built or mapped) comes back with
// ok = false and the reason, never as a throw. Call only for a spec within the limits (scaling.h limit_problem()).
#include <cstdint>
#include <string>

#include "accel_models/evaluate.h"
#include "traces/zoo/zoo.h"

namespace rp::lacs {

struct NetworkFigures {
  bool ok = false;
  std::string reason;     // why infeasible (empty when ok)
  double latency_ms = 0;  // at the evaluator's batch; 0 when infeasible
  int64_t macs = 0;       // per image (0 when the network could not be built)
  int64_t params = 0;
};

// `spec` built at `batch` in the accelerator's precision and evaluated through `evaluator`.
NetworkFigures network_figures(accel::Evaluator& evaluator, const traces::MbconvSpec& spec, int64_t batch);

// MBConv blocks of a spec after depth rounding (EfficientNet-X Appendix B's "depth").
int block_count(const traces::MbconvSpec& spec);

}  // namespace rp::lacs
