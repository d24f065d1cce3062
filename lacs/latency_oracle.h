#pragma once
// Latency of scaled networks on one accelerator through the evaluation API (accel_models/evaluate.h), memoized
// by the network a spec builds (lacs/scaling.h network_key): many triplets round to the same network. An
// infeasible network (cannot be built or mapped) comes back as {ok = false, reason}, never as a throw.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "accel_models/evaluate.h"
#include "traces/zoo/zoo.h"

namespace rp::lacs {

struct NetworkFigures {
  bool ok = false;
  std::string reason;
  double latency_ms = 0;  // at the oracle's batch
  int64_t macs = 0;       // per image
  int64_t params = 0;
  int blocks = 0;         // MBConv blocks after round_repeats (EfficientNet-X Appendix B's "depth")
};

class LatencyOracle {
 public:
  LatencyOracle(std::shared_ptr<const accel::IAccelerator> acc, int64_t batch);
  const NetworkFigures& operator()(const traces::MbconvSpec& spec);
  int64_t simulations() const { return simulations_; }
  int64_t batch() const { return batch_; }

 private:
  std::shared_ptr<const accel::IAccelerator> acc_;
  int64_t batch_;
  std::map<std::string, NetworkFigures> cache_;
  int64_t simulations_ = 0;
};

// MBConv blocks of a spec after depth rounding.
int block_count(const traces::MbconvSpec& spec);

}  // namespace rp::lacs
