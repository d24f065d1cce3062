#pragma once
// Evaluates coefficient triplets at the search level (Problem::search_phi) on one memoized evaluator: the scaled
// network's limits (lacs/scaling.h), its latency (lacs/figures.h), its accuracy (surrogate or proxy) and the
// objective's reward (lacs/problem.h). An infeasible point is a result (feasible = false, status = why, accuracy
// NaN, reward 0), never a throw:
//   - accuracy-only: outside the FLOPs budget ("outside the FLOPs budget: ..."; not simulated);
//   - a scaled network outside the limits of a network file ("scaled resolution 1.8e+09 outside [8, 4096]", ...);
//   - a network the accelerator cannot run (the evaluator's reason);
//   - a surrogate estimate outside (0, 100) ("the surrogate is outside its range: top-1 -0.18%");
//   - a surrogate estimate outside the multipliers its fit rows cover ("outside the surrogate's fit range: ...",
//     Surrogate::outside_range): the search never picks an extrapolation.
// With the surrogate, the accuracy-only reward is its accuracy at exactly the budget (the log-multipliers scaled
// onto it: the grid rarely meets the constraint exactly); with the proxy, the accuracy as measured.
// Not thread-safe (the evaluator is not): one per process.
#include <optional>
#include <vector>

#include "accel_models/evaluate.h"
#include "lacs/figures.h"
#include "lacs/grid_search.h"
#include "lacs/problem.h"

namespace rp::lacs {

class PointEvaluator {
 public:
  // Keeps references to both (they must outlive it). `evaluator`: the accelerator at p.batch.
  PointEvaluator(const Problem& p, accel::Evaluator& evaluator);
  PointResult operator()(const Triplet& t, int stage);

  double base_latency_ms();  // SimulationError when the base cannot run on the accelerator
  double target_ms();        // the resolved latency target T
  NetworkFigures figures(const traces::MbconvSpec& spec) { return network_figures(evaluator_, spec, p_.batch); }
  // The accuracy of a scaled spec (within the limits) with multipliers `s` and `macs` per image: the proxy's, or the
  // surrogate's at the network's own multipliers (effective_multipliers), with `extrapolated` set outside its range.
  Accuracy accuracy_of(const traces::MbconvSpec& scaled, const Scaled& s, int64_t macs);
  double base_top1() const;
  const Problem& problem() const { return p_; }

 private:
  const Problem& p_;
  accel::Evaluator& evaluator_;
  std::optional<double> base_latency_;
};

// (alpha beta^2 gamma^2)^phi: the nominal FLOPs ratio of level phi.
double flops_ratio(const Triplet& t, double phi);

// The multipliers the surrogate sees for the network of `base` scaled by `s`: depth = its MBConv blocks after
// round_repeats over the base's (the layers the network has, as in the fit rows), width = s.width, resolution =
// the rounded resolution over the base's.
Scaled effective_multipliers(const traces::MbconvSpec& base, const Scaled& s);

// The surrogate's top-1 with its range checks: a reason when outside (0, 100); `extrapolated` set when the
// multipliers are outside the range of its fit rows.
Accuracy surrogate_top1(const Surrogate& s, const Scaled& sc, double flops_ratio, double base_top1);

// EfficientNet's accuracy-only compound-scaling search with the surrogate alone (no simulation): over `g` at
// level `phi`, triplets within budget^phi x (1 +- tolerance) are ranked by the surrogate's accuracy at exactly
// the budget. Returns every point (grid, then refinement); best_point() picks the coefficients.
std::vector<PointResult> surrogate_accuracy_only(const GridSpec& g, const Surrogate& s, double budget, double tolerance,
                                                 double phi = 1.0, double base_top1 = 0);

// The accuracy-only coefficients of a latency-aware problem (the reference family): with the surrogate, an
// accuracy-only search of its own over `g` (no simulation needed); with the proxy, the in-budget feasible point of
// `evaluated` with the highest accuracy (ties: the earlier). Nothing when no triplet is within the budget.
std::optional<Triplet> accuracy_only_coefficients(const Problem& p, const GridSpec& g,
                                                  const std::vector<PointResult>& evaluated);

}  // namespace rp::lacs
