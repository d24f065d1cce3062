#include "accel_models/hbm/hbm_params.h"

#include "accel_models/config/param.h"

namespace rp::accel {

double HbmParams::sustained_bandwidth() const {
  // Per row: row_bytes of data in row_bytes / channel_bandwidth seconds plus one row miss; refresh scales it.
  const double per_row = row_bytes / channel_bandwidth() + row_miss;
  return channels * row_bytes / per_row * (1.0 - refresh_fraction);
}

void HbmParams::set_efficiency(double efficiency) {
  row_miss = row_bytes / channel_bandwidth() * (1.0 / efficiency - 1.0);
}

HbmParams HbmParams::split(int parts) const {
  HbmParams p = *this;
  p.bandwidth = bandwidth / parts;
  p.channels = channels / parts;
  p.capacity = capacity / parts;
  return p;
}

void describe(ParamVisitor& v, HbmParams& p) {
  using S = ParamSpec;
  v.real("bandwidth_gbps", p.bandwidth,
         S::positive("GB/s", 1e9, "peak bandwidth of the chip's HBM").at_most(1e6));  // 1 PB/s: 300 x H100
  v.integer("channels", p.channels, S::count("", "independent channels, each bandwidth / channels").at_most(1024));
  v.integer("access_bytes", p.access_bytes, S::count("B", "burst granularity").at_most(65536));
  v.integer("interleave_bytes", p.interleave_bytes, S::count("B", "address interleave between channels"));
  v.integer("row_bytes", p.row_bytes, S::count("B", "bytes streamed per row activation").at_most(1 << 20));
  v.real("refresh_fraction", p.refresh_fraction, S::fraction("share of time lost to refresh (tRFC / tREFI)"));
  // Required (no default): a capacity nobody stated would pass or fail networks silently. 65536 GiB: 800 x H100.
  v.real("capacity_gib", p.capacity,
         S::positive("GiB", 1073741824.0,
                     "capacity of the chip's HBM (TPU: every core's private share together); weights, peak live "
                     "activations and KV cache beyond it make a network infeasible")
             .at_most(65536));
  v.require(p.access_bytes <= 0 || p.interleave_bytes % p.access_bytes == 0, "interleave_bytes",
            "must be a multiple of access_bytes");
}

}  // namespace rp::accel
