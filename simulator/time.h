#pragma once
// Engine time. Every time inside the engine is an integer number of picoseconds, so a run is repeatable to the
// picosecond and sums of durations never drift. Convert to floating point only at the edges (reports, YAML).
#include <cmath>
#include <cstdint>
#include <limits>

namespace rp::sim {

using Ps = int64_t;  // picoseconds

constexpr Ps kPsPerSecond = 1'000'000'000'000;

// The engine never runs past this (2^62 ps, about 53 days of simulated time): a task that would end later is an
// error naming the unit (a clock, bandwidth or rate far too small for the workload), not a wrapped clock.
constexpr Ps kMaxPs = Ps{1} << 62;

// Seconds -> picoseconds, rounded to the nearest picosecond (halves away from zero). Saturates beyond the Ps range
// (to the largest Ps, or -1 for NaN) instead of overflowing, so the engine's checks see it.
inline Ps ps_from_seconds(double s) {
  const double ps = s * static_cast<double>(kPsPerSecond);
  if (std::isnan(ps)) return -1;
  if (ps >= 9.2e18) return std::numeric_limits<Ps>::max();
  if (ps <= -9.2e18) return std::numeric_limits<Ps>::min();
  return static_cast<Ps>(std::llround(ps));
}

inline double seconds(Ps t) { return static_cast<double>(t) / static_cast<double>(kPsPerSecond); }

inline double ms(Ps t) { return static_cast<double>(t) / 1e9; }

}  // namespace rp::sim
