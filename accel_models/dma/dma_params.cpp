#include "accel_models/dma/dma_params.h"

#include "accel_models/config/param.h"

namespace rp::accel {

void describe(ParamVisitor& v, DmaParams& p) {
  using S = ParamSpec;
  v.integer("read_engines", p.read_engines, S::count("", "concurrent loads").at_most(1024));
  v.integer("write_engines", p.write_engines, S::count("", "concurrent stores").at_most(1024));
  v.real("setup_ns", p.setup, S::non_negative("ns", 1e-9, "fixed issue time per transfer"));
}

}  // namespace rp::accel
