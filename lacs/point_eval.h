#pragma once
// Evaluates one coefficient triplet at the search level (search_phi): the scaled network's latency on the
// experiment's accelerator (memoized), its accuracy (surrogate or proxy) and the objective's reward:
//   accuracy-only: triplets whose alpha beta^2 gamma^2 (per level) is outside flops_budget x (1 +- tolerance) are
//     infeasible ("outside the FLOPs budget", not simulated); the reward of the others is the surrogate's accuracy
//     at exactly the budget (the log-multipliers scaled onto it: the grid rarely meets the constraint exactly), or
//     the proxy accuracy as measured;
//   latency-aware: reward = ACC x (LAT / T)^w (nas/reward/reward.h), T = target_latency_ms or latency_ratio^search_phi
//     x the base's latency; an infeasible network is a result with reward 0.
#include <memory>
#include <optional>

#include "lacs/grid_search.h"
#include "experiments/kinds/lacs/lacs_experiment.h"
#include "lacs/latency_oracle.h"
#include "lacs/proxy_accuracy.h"
#include "lacs/surrogate.h"

namespace rp::lacs {

class PointEvaluator {
 public:
  // `data` is needed (non-null) for the proxy method only.
  PointEvaluator(const LacsExperiment& e, std::shared_ptr<const nas::FashionMnist> data);
  PointResult operator()(const Triplet& t, int stage);

  double base_latency_ms();  // simulated once
  double target_ms();        // the resolved latency target T
  // Surrogate (at the network's FLOPs over the base's) or proxy accuracy, percent.
  double accuracy_of(const traces::MbconvSpec& scaled, const Scaled& s);
  double base_top1() const;
  const traces::MbconvSpec& base() const { return base_; }
  LatencyOracle& oracle() { return oracle_; }
  const Surrogate& surrogate() const { return surrogate_; }

 private:
  const LacsExperiment& e_;
  traces::MbconvSpec base_;
  Surrogate surrogate_;
  LatencyOracle oracle_;
  std::optional<ProxyAccuracy> proxy_;
  std::optional<double> base_latency_;
};

// alpha beta^2 gamma^2 raised to `phi`: the nominal FLOPs ratio of level phi.
double flops_ratio(const Triplet& t, double phi);

// EfficientNet's accuracy-only compound-scaling search with the surrogate alone (no simulation): over `g` at
// level `phi`, triplets within budget^phi x (1 +- tolerance) are ranked by the surrogate's accuracy at exactly
// the budget. Returns every point (grid, then refinement); best_point() picks the coefficients.
std::vector<PointResult> surrogate_accuracy_only(const GridSpec& g, const Surrogate& s, double budget,
                                                 double tolerance, double phi = 1.0);

}  // namespace rp::lacs
