#include "lacs/latency_oracle.h"

#include "lacs/scaling.h"
#include "traces/zoo/mbconv_family.h"

namespace rp::lacs {

int block_count(const traces::MbconvSpec& spec) {
  int n = 0;
  for (const auto& b : spec.blocks) n += traces::round_repeats(b.num_repeat, spec.params.depth);
  return n;
}

LatencyOracle::LatencyOracle(std::shared_ptr<const accel::IAccelerator> acc, int64_t batch)
    : acc_(std::move(acc)), batch_(batch) {}

const NetworkFigures& LatencyOracle::operator()(const traces::MbconvSpec& spec) {
  const std::string key = network_key(spec);
  const auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  ++simulations_;
  NetworkFigures f;
  f.blocks = block_count(spec);
  const accel::Evaluation e = accel::evaluate(
      [&] {
        traces::Network n = build(spec, batch_, acc_->info().precision);
        f.macs = n.macs() / batch_;
        f.params = n.params();
        return n;
      },
      *acc_);
  f.ok = e.ok;
  f.reason = e.reason;
  if (e.ok) f.latency_ms = e.result.latency_ms;
  return cache_.emplace(key, f).first->second;
}

}  // namespace rp::lacs
