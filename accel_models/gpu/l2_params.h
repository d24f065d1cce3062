#pragma once
// Typed parameters of a GPU's L2 cache (l2_cache.h).
namespace rp::accel {

class ParamVisitor;

struct L2Params {
  double capacity = 0;         // bytes
  double usable_fraction = 0;  // share of the capacity holding tensors between kernels, in [0, 1)
  double bandwidth = 0;        // bytes/s
  double latency = 0;          // seconds per read
  double resident_capacity() const { return capacity * usable_fraction; }
};

// The `l2` section: capacity_mib, usable_fraction, bandwidth_gbps, latency_ns.
void describe(ParamVisitor& v, L2Params& p);

}  // namespace rp::accel
