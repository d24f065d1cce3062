#pragma once
// The latency oracle of a search: an architecture's ImageNet-scale network simulated in process on the target
// accelerator through the evaluation API (accel_models/evaluate.h), memoized per canonical architecture text.
// Infeasible candidates (network cannot be built or mapped) come back as {ok = false, reason}, never as a throw.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "accel_models/evaluate.h"
#include "nas/space/search_space.h"

namespace rp::nas {

struct Latency {
  bool ok = false;
  std::string reason;     // why infeasible (empty when ok)
  double latency_ms = 0;  // at the oracle's batch
  int64_t macs = 0;       // per image
  int64_t params = 0;
};

class LatencyOracle {
 public:
  LatencyOracle(const SearchSpace& space, std::shared_ptr<const accel::IAccelerator> acc, int resolution,
                int64_t batch);
  const Latency& operator()(const Choices& c);  // memoized by space.canonical(c)
  int64_t simulations() const { return simulations_; }  // cache misses so far

 private:
  const SearchSpace& space_;
  std::shared_ptr<const accel::IAccelerator> acc_;
  int resolution_;
  int64_t batch_;
  std::map<std::string, Latency> cache_;
  int64_t simulations_ = 0;
};

}  // namespace rp::nas
