#pragma once
// HBM: `channels` independent channels, each with bandwidth/channels. A transfer is interleaved over the channels
// in `interleave_bytes` chunks (a small transfer uses only the channels it touches); each channel serves its share
// after whatever it already has reserved, so concurrent requesters (DMA engines, SMs) queue for channel time.
// A channel's share of s bytes takes
//     (ceil(s / access_bytes) * access_bytes / channel_bandwidth  +  ceil(s / row_bytes) * row_miss)
//       / (1 - refresh_fraction)
// i.e. burst-granular data time, one row activation (miss / turnaround) per row of data, and refresh stealing a
// fixed fraction of the time, so sustained bandwidth stays below peak (sustained_bandwidth()).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "accel_models/hbm/hbm_params.h"
#include "simulator/time.h"

namespace rp::accel {

class HbmModel {
 public:
  HbmModel(std::string name, const HbmParams& p);
  // Reserves channel time for `bytes` issued at `now`; returns the completion time (>= now).
  sim::Ps transfer(int64_t bytes, sim::Ps now);
  // Time one channel needs for a share of `bytes` (the formula above), in picoseconds.
  sim::Ps channel_time(int64_t bytes) const;
  void reset();

  const std::string& name() const { return name_; }
  const HbmParams& params() const { return p_; }
  int64_t bytes() const { return bytes_; }
  sim::Ps channel_busy() const { return busy_; }  // summed over channels
  sim::Ps wait() const { return wait_; }          // summed over channel shares: time queued behind other transfers
  int64_t transfers() const { return transfers_; }

 private:
  // channel_time() of the shares last seen, by a hash of their size (a sweep point or a small batch moves many
  // transfers of a few sizes; the formula's divisions were a twentieth of a sweep's time). Bytes -1: empty.
  sim::Ps share_time(int64_t bytes);
  struct Timed {
    int64_t bytes = -1;
    sim::Ps time = 0;
  };
  std::array<Timed, 16> times_{};

  std::string name_;
  HbmParams p_;
  std::vector<sim::Ps> free_at_;
  sim::Ps latest_free_ = 0;  // the latest of free_at_ (at or before it, a transfer finds every channel free)
  int next_channel_ = 0;
  int64_t bytes_ = 0, transfers_ = 0;
  sim::Ps busy_ = 0, wait_ = 0;
};

}  // namespace rp::accel
