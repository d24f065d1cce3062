#pragma once
// Engine time. Every time inside the engine is an integer number of picoseconds, so a run is repeatable to the
// picosecond and sums of durations never drift. Convert to floating point only at the edges (reports, YAML).
#include <cmath>
#include <cstdint>

namespace rp::sim {

using Ps = int64_t;  // picoseconds

constexpr Ps kPsPerSecond = 1'000'000'000'000;

// Seconds -> picoseconds, rounded to the nearest picosecond (halves away from zero).
inline Ps ps_from_seconds(double s) { return static_cast<Ps>(std::llround(s * static_cast<double>(kPsPerSecond))); }

inline double seconds(Ps t) { return static_cast<double>(t) / static_cast<double>(kPsPerSecond); }

inline double ms(Ps t) { return static_cast<double>(t) / 1e9; }

}  // namespace rp::sim
