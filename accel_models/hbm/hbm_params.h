#pragma once
// Typed parameters of one HBM instance (hbm.h), SI units. Keys, units, bounds: describe() in hbm_params.cpp.
namespace rp::accel {

class ParamVisitor;

struct HbmParams {
  double bandwidth = 0;  // peak bytes/s of this HBM instance
  int channels = 0;
  int access_bytes = 0;         // burst granularity
  int interleave_bytes = 0;     // address interleave across channels
  int row_bytes = 0;            // bytes streamed per row activation
  double refresh_fraction = 0;  // share of time lost to refresh, tRFC / tREFI
  double capacity = 0;          // bytes this HBM instance holds (not a timing figure: the capacity check's)
  // Seconds per row activation not hidden by bank parallelism or the access pattern. Not a hardware key: derived
  // from the software stack's achieved streaming efficiency (set_efficiency), so it scales with the bandwidth.
  double row_miss = 0;

  double channel_bandwidth() const { return bandwidth / channels; }
  double sustained_bandwidth() const;  // streaming bytes/s of a long transfer over all channels
  // Sets row_miss so that a long stream achieves `efficiency` of the peak (before refresh):
  //   row_bytes / (channel_bandwidth x efficiency) = row_bytes / channel_bandwidth + row_miss.
  void set_efficiency(double efficiency);
  // This HBM split evenly over `parts` cores with private memory: bandwidth, channels and capacity / parts.
  HbmParams split(int parts) const;
};

// Where a network's memory lives (memory_check.h): the chip's HBM capacity, split evenly into `memories` private
// shares (TPU: one per core), of which the batch is split data parallel over `batch_parts` (each holding every
// weight and its share of the batch's activations and KV cache).
struct MemoryLayout {
  double hbm_capacity = 0;  // bytes per chip; 0: unknown, nothing checked
  int memories = 1;
  int batch_parts = 1;
};

// The `hbm` section (hardware figures of the whole chip): bandwidth_gbps, channels, access_bytes,
// interleave_bytes, row_bytes, refresh_fraction, capacity_gib. Shared by every family.
void describe(ParamVisitor& v, HbmParams& p);

}  // namespace rp::accel
