#include "nas/reward/latency_oracle.h"

#include "nas/space/arch_network.h"

namespace rp::nas {

LatencyOracle::LatencyOracle(const SearchSpace& space, std::shared_ptr<const accel::IAccelerator> acc,
                             int resolution, int64_t batch)
    : space_(space), acc_(std::move(acc)), resolution_(resolution), batch_(batch) {}

const Latency& LatencyOracle::operator()(const Choices& c) {
  const std::string key = space_.canonical(c);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  ++simulations_;
  Latency l;
  int64_t macs = 0, params = 0;
  const accel::Evaluation e = accel::evaluate(
      [&] {
        traces::Network n = arch_network(space_, c, resolution_, batch_, acc_->info().precision);
        macs = n.macs() / batch_;
        params = n.params();
        return n;
      },
      *acc_);
  l.ok = e.ok;
  l.reason = e.reason;
  l.latency_ms = e.ok ? e.result.latency_ms : 0;
  l.macs = macs;
  l.params = params;
  return cache_.emplace(key, std::move(l)).first->second;
}

}  // namespace rp::nas
