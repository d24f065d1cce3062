#include "accel_models/gpu/l2_params.h"

#include "accel_models/config/param.h"

namespace rp::accel {

void describe(ParamVisitor& v, L2Params& p) {
  using S = ParamSpec;
  v.real("capacity_mib", p.capacity, S::positive("MiB", 1024.0 * 1024.0, "L2 capacity").at_most(1 << 20));  // 1 TiB
  v.real("usable_fraction", p.usable_fraction, S::fraction("share holding activations between kernels"));
  v.real("bandwidth_gbps", p.bandwidth, S::positive("GB/s", 1e9, "L2 read bandwidth").at_most(1e7));  // 10 PB/s
  v.real("latency_ns", p.latency, S::non_negative("ns", 1e-9, "latency per read"));
}

}  // namespace rp::accel
