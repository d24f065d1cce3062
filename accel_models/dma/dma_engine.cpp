#include "accel_models/dma/dma_engine.h"

#include "accel_models/config/param_checks.h"

namespace rp::accel {

DmaParams DmaParams::parse(const traces::YamlMap& m) {
  DmaParams p;
  p.read_engines = static_cast<int>(positive_int(m, "read_engines"));
  p.write_engines = static_cast<int>(positive_int(m, "write_engines"));
  p.setup = non_negative(m, "setup_ns") * 1e-9;
  return p;
}

sim::Ps DmaEngine::service(const sim::Task& task, sim::Ps now) {
  const sim::Ps issued = now + sim::ps_from_seconds(p_.setup);
  return hbm_.transfer(task.bytes, issued) - now;
}

}  // namespace rp::accel
