#pragma once
// Model-family generation: the base scaled to levels phi = 0..P with found coefficients (d = alpha^phi,
// w = beta^phi, r = gamma^phi, rounded as lacs/scaling.h), each simulated on the problem's accelerator and given
// an accuracy estimate. No file I/O: member_spec() gives the network a member describes, for its network YAML
// (lacs/scaling.h network_yaml(); the kind writes it).
#include <cstdint>
#include <string>
#include <vector>

#include "lacs/point_eval.h"

namespace rp::lacs {

struct Member {
  std::string family;  // "lacs" (latency-aware) or "accuracy-only"
  Triplet t;
  int phi = 0;
  double depth = 1, width = 1;          // multipliers
  int resolution = 0, layers = 0;       // layers: MBConv blocks after round_repeats; each 0 when outside its limit
  int64_t params = 0, macs = 0;         // MACs per image; 0 when not built
  double latency_ms = 0, accuracy = 0;  // NaN when infeasible (accuracy) or not simulated (both)
  bool feasible = true;
  std::string status = "ok";
  bool extrapolated = false;    // the accuracy is the surrogate's extrapolation (outside its fit rows' range)
  std::string extrapolation;    // why (Surrogate::outside_range), for the YAML comment; "" when not extrapolated
  std::string yaml;             // the member's network file, written by the kind ("" when none: outside the limits)
  std::string accuracy_source;  // where the accuracy came from (Problem::accuracy_source)
};
// The columns of /family: family, alpha, beta, gamma, phi, depth, width, resolution, layers, params, macs,
// latency_ms, accuracy, feasible, status, yaml, extrapolated, accuracy_source.
void member_columns(Columns& c, Member& m);

// Scales, simulates and estimates levels 0..phi of coefficients `t`; `family` labels the members. A member outside
// the limits (lacs/scaling.h), one the accelerator cannot run and one without an accuracy (the surrogate outside
// its range) are infeasible with the reason; a member whose multipliers are outside the surrogate's fit rows keeps
// its (extrapolated) accuracy and is marked `extrapolated`. Polls the problem's StopCheck before each member.
std::vector<Member> make_family(PointEvaluator& eval, const std::string& family, const Triplet& t, int phi);

// Whether the network of member `m` of a family of `base` is within the limits of a network file (lacs/scaling.h
// limit_problem()): only then is there a network to write.
bool buildable(const traces::MbconvSpec& base, const Member& m);

// The network of member `m` (within the limits) of a family of `base`, named `name`.
traces::MbconvSpec member_spec(const traces::MbconvSpec& base, const Member& m, const std::string& name);

}  // namespace rp::lacs
