#include "accel_models/hbm/hbm.h"

#include <algorithm>
#include <limits>

namespace rp::accel {
namespace {

// a + b for non-negative times, saturating at the largest Ps: a transfer that would end past the engine's limit
// stays past it, and the engine reports it (simulator/unit_module.cpp), instead of overflowing.
sim::Ps add_saturated(sim::Ps a, sim::Ps b) {
  constexpr sim::Ps kMax = std::numeric_limits<sim::Ps>::max();
  return b > kMax - a ? kMax : a + b;
}

}  // namespace

HbmModel::HbmModel(std::string name, const HbmParams& p) : name_(std::move(name)), p_(p) { reset(); }

void HbmModel::reset() {
  free_at_.assign(static_cast<size_t>(p_.channels), 0);
  next_channel_ = 0;
  latest_free_ = 0;
  bytes_ = transfers_ = 0;
  busy_ = wait_ = 0;
}

sim::Ps HbmModel::channel_time(int64_t bytes) const {
  if (bytes <= 0) return 0;
  const int64_t bursts = (bytes + p_.access_bytes - 1) / p_.access_bytes;
  const int64_t rows = (bytes + p_.row_bytes - 1) / p_.row_bytes;
  const double t = (static_cast<double>(bursts) * p_.access_bytes / p_.channel_bandwidth() + rows * p_.row_miss) /
                   (1.0 - p_.refresh_fraction);
  return sim::ps_from_seconds(t);
}

sim::Ps HbmModel::share_time(int64_t bytes) {
  Timed& slot = times_[static_cast<size_t>(bytes ^ (bytes >> 5) ^ (bytes >> 11)) % times_.size()];
  if (slot.bytes != bytes) slot = {bytes, channel_time(bytes)};  // the params never change: a kept time stays right
  return slot.time;
}

sim::Ps HbmModel::transfer(int64_t bytes, sim::Ps now) {
  if (bytes <= 0) return now;
  ++transfers_;
  bytes_ += bytes;
  const int64_t chunks = (bytes + p_.interleave_bytes - 1) / p_.interleave_bytes;
  // Interleaved chunks spread as evenly as they can: the first `extra` channels get per + 1 chunks, the others per
  // (per >= 1: used <= chunks). The chunks round `bytes` up by less than one chunk, so only the last share is short:
  // it holds what is left. Each size's channel time is looked up once. Up to `channels` chunks: one each (no
  // division).
  const bool few = chunks <= p_.channels;
  const int used = few ? static_cast<int>(chunks) : p_.channels;
  const int64_t per = few ? 1 : chunks / used, extra = few ? 0 : chunks % used;
  const int64_t big = (per + 1) * p_.interleave_bytes, small = per * p_.interleave_bytes;
  const int middle = used - 1 - static_cast<int>(extra);  // extra < used
  const int64_t last = bytes - extra * big - middle * small;
  const sim::Ps t_big = extra > 0 ? share_time(big) : 0, t_small = middle > 0 ? share_time(small) : 0;
  const sim::Ps t_last = share_time(last);
  // Worked on in locals (the channel times are not aliased with them) and stored once. When every channel is free
  // by `now` (the latest free time is kept), no share waits: start = now for each.
  sim::Ps* const free_at = free_at_.data();
  const bool idle = now >= latest_free_;
  int next = next_channel_;
  sim::Ps done = now, wait = wait_, busy = busy_;
  // No sum below can reach the largest Ps (no share ends past it, the totals stay below it): plain arithmetic, in
  // runs of consecutive channels, gives what the saturating form gives.
  constexpr sim::Ps kMax = std::numeric_limits<sim::Ps>::max();
  const sim::Ps t_max = std::max({t_big, t_small, t_last}), top = std::max(now, latest_free_);
  const bool plain = top <= kMax - t_max && t_max <= (kMax - busy) / used && top - now <= (kMax - wait) / used;
  // `shares` channel shares of time t each, on the channels from next on (round-robin).
  const auto serve = [&](int shares, sim::Ps t) {
    if (plain) {
      while (shares > 0) {  // runs up to the last channel, then from channel 0
        const int run = std::min(shares, p_.channels - next);
        sim::Ps* const f = free_at + next;
        if (idle) {
          std::fill(f, f + run, now + t);
          done = std::max(done, now + t);
        } else {
          for (int j = 0; j < run; ++j) {
            const sim::Ps start = std::max(now, f[j]);
            wait += start - now;
            f[j] = start + t;
            done = std::max(done, f[j]);
          }
        }
        busy += run * t;
        shares -= run;
        next += run;
        if (next == p_.channels) next = 0;
      }
      return;
    }
    for (int i = 0; i < shares; ++i) {
      sim::Ps& f = free_at[next];
      const sim::Ps start = idle ? now : std::max(now, f);
      f = add_saturated(start, t);
      if (!idle) wait = add_saturated(wait, start - now);
      busy = add_saturated(busy, t);
      done = std::max(done, f);
      if (++next == p_.channels) next = 0;
    }
  };
  if (extra > 0) serve(static_cast<int>(extra), t_big);
  if (middle > 0) serve(middle, t_small);
  serve(1, t_last);
  next_channel_ = next;
  wait_ = wait;
  busy_ = busy;
  latest_free_ = std::max(latest_free_, done);  // done: the latest of the times just set, the others unchanged
  return done;
}

}  // namespace rp::accel
