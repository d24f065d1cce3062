#pragma once
// Typed parameters of one HBM instance (hbm.h), SI units. Keys, units, bounds: describe() in hbm_params.cpp.
namespace rp::accel {

class ParamVisitor;

struct HbmParams {
  double bandwidth = 0;         // peak bytes/s of this HBM instance
  int channels = 0;
  int access_bytes = 0;         // burst granularity
  int interleave_bytes = 0;     // address interleave across channels
  int row_bytes = 0;            // bytes streamed per row activation
  double row_miss = 0;          // seconds per row activation not hidden by bank parallelism
  double refresh_fraction = 0;  // share of time lost to refresh, tRFC / tREFI

  double channel_bandwidth() const { return bandwidth / channels; }
  double sustained_bandwidth() const;  // streaming bytes/s of a long transfer over all channels
};

// The `hbm` section: bandwidth_gbps, channels, access_bytes, interleave_bytes, row_bytes, row_miss_ns,
// refresh_fraction. Shared by every family.
void describe(ParamVisitor& v, HbmParams& p);

}  // namespace rp::accel
