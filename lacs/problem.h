#pragma once
// What a compound-scaling search is asked, as data of lacs/'s own (the kind fills it from the experiment's
// settings): the base network, the objective and its figures, and where accuracy comes from. No file I/O.
//   accuracy-only (EfficientNet): triplets whose (alpha beta^2 gamma^2)^search_phi is outside
//     flops_budget^search_phi x (1 +- flops_tolerance) are infeasible; the others are ranked by accuracy;
//   latency-aware (EfficientNet-X LACS): reward = ACC x (LAT / T)^w (nas/reward/reward.h), T = target_latency_ms
//     or, when that is 0, latency_ratio^search_phi x the base's latency.
// Accuracy: the surrogate (lacs/surrogate.h, relative to base_top1), or proxy training when `proxy` is set.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>

#include "lacs/surrogate.h"
#include "nas/reward/reward.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

namespace rp::lacs {

// A figure that is not there (no accuracy, no latency): the records' NaN.
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class Objective { kLatencyAware, kAccuracyOnly };
std::string objective_name(Objective o);  // "latency-aware", "accuracy-only"
// The objective named `name`; UsageError for any other name.
Objective objective_named(const std::string& name);

// An accuracy in percent, or why there is none (then the network is infeasible: e.g. the surrogate is outside its
// range).
struct Accuracy {
  double top1 = std::nan("");
  std::string reason;        // empty: top1 holds the accuracy
  std::string extrapolated;  // not empty: top1 is the surrogate's extrapolation, and why (Surrogate::outside_range);
                             // a search point is then infeasible, a family member marked `extrapolated`
};

// Proxy training: the accuracy of a scaled spec whose resolution is `resolution_ratio` x the base's.
using ProxyFn = std::function<Accuracy(const traces::MbconvSpec& scaled, double resolution_ratio)>;

struct Problem {
  traces::MbconvSpec base;
  int64_t batch = 128;  // the latency batch (the evaluator's accelerator)
  Objective objective = Objective::kLatencyAware;
  double search_phi = 1;                           // the level the coefficients are searched at (> 0)
  double flops_budget = 2, flops_tolerance = 0.1;  // per level; also the accuracy-only coefficients of a
                                                   // latency-aware run (point_eval.h accuracy_only_coefficients)
  double target_latency_ms = 0;                    // T; 0: latency_ratio^search_phi x the base's latency
  double latency_ratio = 2;
  nas::RewardSpec reward = nas::RewardSpec::hard(0);  // the exponents (T is resolved by the evaluator)
  Surrogate surrogate = Surrogate::builtin();         // also for the zoo references' estimates
  double base_top1 = 0;                               // top-1 of the base for the surrogate (0: the surrogate's own)
  ProxyFn proxy;                                      // set: accuracy from proxy training instead of the surrogate
  StopCheck stop;                                     // polled between the simulations of a family (make_family)
  std::string accuracy_source = "surrogate";          // recorded in every point and member (docs/accuracy.md)
};

}  // namespace rp::lacs
