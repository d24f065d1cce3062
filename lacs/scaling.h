#pragma once
// Compound scaling of an MBConv base network (EfficientNet, Tan & Le 2019, eq. 3; EfficientNet-X eq. 5):
// depth d = alpha^phi, width w = beta^phi, resolution r = gamma^phi. Depth and width go through the builder's
// round_repeats / round_filters (traces/zoo/mbconv_family.h); the resolution is rounded to a multiple of 4
// (EfficientNet's published 224, 240, 260, 300, 380, 456, 528, 600 are all multiples of 4, not all of 8).
// A scaled network must stay within the limits of a network file (traces/zoo/zoo.h); one outside them is never
// built, and never brought back inside by clamping: limit_problem() says why (the point or member is infeasible).
#include <cstdint>
#include <string>
#include <vector>

#include "traces/network/network.h"
#include "traces/zoo/zoo.h"

namespace rp::lacs {

struct Triplet {
  double alpha = 1, beta = 1, gamma = 1;  // depth, width, resolution coefficients
};

struct Scaled {
  double depth = 1, width = 1;  // multipliers on top of the base network's own
  double resolution_ratio = 1;  // gamma^phi before rounding (what the accuracy surrogate sees)
  int resolution = 224;         // base resolution x resolution_ratio, rounded; 0 when outside
                                // [traces::kMinResolution, traces::kMaxResolution] (limit_problem() says so)
};

constexpr int kResolutionDivisor = 4;

// Nearest multiple of kResolutionDivisor (halves round up), as a double (no narrowing: 224 x 4^12 is past 2^31).
double round_resolution(double resolution);

// The multipliers of level `phi` (phi may be fractional; phi = 0 is the base).
Scaled scale(const Triplet& t, double phi, int base_resolution);

// MBConv blocks of `base` with its depth multiplied by `depth` (round_repeats of each block), as a double.
double scaled_blocks(const traces::MbconvSpec& base, double depth);

// Why the network of `base` scaled by `s` is outside the limits of a network file (traces/zoo/zoo.h: resolution in
// [8, 4096], width and depth coefficients at most 64, at most 10,000 MBConv blocks after depth scaling), or ""
// when it is within them (only then may it be built). E.g. "scaled resolution 1.8e+09 outside [8, 4096]".
std::string limit_problem(const traces::MbconvSpec& base, const Scaled& s);

// The base spec with width and depth multiplied and the resolution set.
traces::MbconvSpec scaled_spec(const traces::MbconvSpec& base, const Scaled& s);

traces::Network build(const traces::MbconvSpec& spec, int64_t batch, traces::DType dtype);

// Identifies the network a spec builds (everything but its name: resolution, stem, head, SE coefficient,
// activations, each block and its rounded repeats and filters): two triplets that round to the same network share
// one simulation.
std::string network_key(const traces::MbconvSpec& spec);

// Network YAML (docs/models.md) that `ridgepoint info` / `simulate` accept; `comment` lines go on top.
std::string network_yaml(const traces::MbconvSpec& spec, const std::vector<std::string>& comment);

// The network file an external accuracy source (docs/accuracy.md: `table`, `command`) rates for a scaled network: a
// trial's network.yaml, whose sha256 keys a table. The same text for every kind that rates LACS networks (lacs,
// codesign's lacs_family), so one table serves both.
std::string candidate_yaml(const traces::MbconvSpec& spec);

}  // namespace rp::lacs
