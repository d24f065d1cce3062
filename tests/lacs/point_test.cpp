// One point of the coefficient search (lacs/point_eval.h): the objectives' rewards and budget, and the points that
// are infeasible with their reason instead of clamped or ranked (issue 21).
#include <catch2/catch.hpp>

#include <cmath>

#include "lacs/point_eval.h"

using namespace rp;

namespace {

struct PointSetup {
  explicit PointSetup(lacs::Objective o) : evaluator(accel::AcceleratorConfig::load("tpuv3").build()) {
    problem.base = traces::mbconv_spec("efficientnet-b0");
    problem.batch = 8;
    problem.objective = o;
  }
  accel::Evaluator evaluator;
  lacs::Problem problem;
};

}  // namespace

TEST_CASE("latency-aware: reward ACC x (LAT/T)^w with the hard constraint, T twice the base's latency") {
  PointSetup s(lacs::Objective::kLatencyAware);
  lacs::PointEvaluator eval(s.problem, s.evaluator);
  const double base = eval.base_latency_ms();
  CHECK(eval.target_ms() == 2 * base);  // latency_ratio 2 ^ search_phi 1
  const lacs::PointResult b = eval({1, 1, 1}, 0);
  REQUIRE(b.feasible);
  CHECK(b.latency_ms == base);
  CHECK(b.accuracy == Approx(76.3));  // the surrogate's own base top-1 (EfficientNet-B0, paper Table 2)
  CHECK(b.reward == b.accuracy);      // LAT <= T: w = 0
  CHECK(b.flops_ratio == 1);
  // (1.4, 1.3, 1.3) at phi 1: alpha beta^2 gamma^2 = 1.4 x 1.69 x 1.69 = 3.99854: far more than twice the latency,
  // so w = -1: reward = ACC x T / LAT.
  const lacs::PointResult big = eval({1.4, 1.3, 1.3}, 0);
  REQUIRE(big.feasible);
  CHECK(big.flops_ratio == Approx(3.99854));
  REQUIRE(big.latency_ms > 2 * base);
  CHECK(big.reward == Approx(big.accuracy * 2 * base / big.latency_ms));
}

TEST_CASE("accuracy-only: outside the FLOPs budget is infeasible, inside it ranked at exactly the budget") {
  PointSetup s(lacs::Objective::kAccuracyOnly);
  lacs::PointEvaluator eval(s.problem, s.evaluator);
  const lacs::PointResult out = eval({1, 1, 1}, 0);
  CHECK_FALSE(out.feasible);
  CHECK(out.status == "outside the FLOPs budget: alpha beta^2 gamma^2 = 1, budget 2 +- 10%");
  CHECK((std::isnan(out.accuracy) && std::isnan(out.latency_ms) && out.reward == 0));
  // EfficientNet's (1.2, 1.1, 1.15): 1.2 x 1.21 x 1.3225 = 1.920270, within 2 +- 10%.
  const lacs::PointResult in = eval({1.2, 1.1, 1.15}, 0);
  REQUIRE(in.feasible);
  CHECK(in.flops_ratio == Approx(1.92027));
  CHECK(in.reward == Approx(s.problem.surrogate.top1(1.2, 1.1, 1.15, 2.0, 76.3)));
}

TEST_CASE("a point past the resolution limit is infeasible with the scaled resolution, not simulated") {
  PointSetup s(lacs::Objective::kLatencyAware);
  s.problem.search_phi = 5;  // gamma 2 at phi 5: 224 x 32 = 7168, past 4096
  lacs::PointEvaluator eval(s.problem, s.evaluator);
  const lacs::PointResult p = eval({1, 1, 2}, 0);
  CHECK_FALSE(p.feasible);
  CHECK(p.status == "scaled resolution 7168 outside [8, 4096]");
  CHECK((p.resolution == 0 && p.layers == 16 && p.macs == 0 && std::isnan(p.latency_ms) && p.reward == 0));
}

TEST_CASE("a surrogate estimate of 100% or more is infeasible, never ranked") {
  // Width x2 at phi 1 (depth and resolution unchanged): the surrogate's width curve (lacs/surrogate.yaml: slope
  // 6.543980, curvature 0.985) gains 6.54398 x (1 - 2^-0.985) / 0.985 = 6.54398 x 0.49478 / 0.985 = 3.287 points.
  PointSetup s(lacs::Objective::kLatencyAware);
  s.problem.base_top1 = 99;
  lacs::PointEvaluator eval(s.problem, s.evaluator);
  const lacs::PointResult p = eval({1, 2, 1}, 0);
  CHECK_FALSE(p.feasible);
  CHECK_THAT(p.status, Catch::StartsWith("the surrogate is outside its range: top-1 102."));
  CHECK((std::isnan(p.accuracy) && p.reward == 0 && p.latency_ms > 0));
  // From the surrogate's own 76.3 the same point is ranked: 76.3 + 3.287.
  PointSetup t(lacs::Objective::kLatencyAware);
  lacs::PointEvaluator ok(t.problem, t.evaluator);
  CHECK(ok({1, 2, 1}, 0).accuracy == Approx(79.587).margin(0.01));
}

TEST_CASE("with the proxy, accuracy comes from the function and its reason makes the point infeasible") {
  PointSetup s(lacs::Objective::kAccuracyOnly);
  // A stand-in for proxy training: 50% plus the resolution ratio, none below ratio 1.1.
  s.problem.proxy = [](const traces::MbconvSpec&, double r) {
    lacs::Accuracy a;
    if (r < 1.1)
      a.reason = "too small";
    else
      a.top1 = 50 + r;
    return a;
  };
  lacs::PointEvaluator eval(s.problem, s.evaluator);
  const lacs::PointResult p = eval({1.2, 1.1, 1.15}, 0);
  REQUIRE(p.feasible);
  CHECK(p.accuracy == Approx(51.15));
  CHECK(p.reward == p.accuracy);  // accuracy-only with the proxy: the accuracy as measured
  // (1.4, 1.1, 1.05): 1.4 x 1.21 x 1.1025 = 1.8676, in budget, but the proxy gives no accuracy.
  const lacs::PointResult q = eval({1.4, 1.1, 1.05}, 0);
  CHECK_FALSE(q.feasible);
  CHECK(q.status == "too small");
  // The accuracy-only coefficients of a latency-aware proxy run: the best in-budget feasible point by accuracy.
  std::vector<lacs::PointResult> points = {eval({1, 1, 1}, 0), q, p};
  points[0].feasible = true;  // out of budget: not a candidate even if feasible
  points[0].accuracy = 99;
  const auto found = lacs::accuracy_only_coefficients(s.problem, {}, points);
  REQUIRE(found);
  CHECK(found->alpha == 1.2);
  CHECK_FALSE(lacs::accuracy_only_coefficients(s.problem, {}, {points[0]}));
}
