#include "lacs/figures.h"

#include "lacs/scaling.h"
#include "traces/zoo/mbconv_family.h"

namespace rp::lacs {

NetworkFigures network_figures(accel::Evaluator& evaluator, const traces::MbconvSpec& spec, int64_t batch) {
  const accel::Outcome& o =
      evaluator(network_key(spec), [&] { return build(spec, batch, evaluator.accelerator().info().precision); });
  NetworkFigures f;
  f.ok = o.ok;
  f.reason = o.reason;
  f.latency_ms = o.ok ? o.latency_ms : 0;
  f.macs = o.macs / batch;
  f.params = o.params;
  return f;
}

int block_count(const traces::MbconvSpec& spec) {
  int n = 0;
  for (const auto& b : spec.blocks) n += traces::round_repeats(b.num_repeat, spec.params.depth);
  return n;
}

}  // namespace rp::lacs
