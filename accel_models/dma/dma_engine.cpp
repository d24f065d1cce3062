#include "accel_models/dma/dma_engine.h"

namespace rp::accel {

sim::Ps DmaEngine::service(const sim::Task& task, sim::Ps now) {
  const sim::Ps issued = now + sim::ps_from_seconds(p_.setup);
  return hbm_.transfer(task.bytes, issued) - now;
}

}  // namespace rp::accel
