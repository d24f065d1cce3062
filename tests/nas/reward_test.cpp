// The MnasNet reward ACC x (LAT / T)^w, values worked out by hand.
#include <catch2/catch.hpp>

#include "nas/reward/reward.h"

using namespace rp::nas;

TEST_CASE("soft reward: w = -0.07 on both sides of the target", "[reward]") {
  const RewardSpec r = RewardSpec::soft(9.0, -0.07);
  // LAT = T: factor 1.
  CHECK(r(0.8, 9.0) == Approx(0.8));
  // LAT = 2T: 2^-0.07 = exp(-0.07 ln 2) = exp(-0.048520) = 0.952638; 0.8 x 0.952638 = 0.762110.
  CHECK(r(0.8, 18.0) == Approx(0.762110).epsilon(1e-5));
  // LAT = T/2: 2^0.07 = 1.049717; 0.8 x 1.049717 = 0.839774.
  CHECK(r(0.8, 4.5) == Approx(0.839774).epsilon(1e-5));
}

TEST_CASE("hard reward: alpha = 0 below the target, beta = -1 above", "[reward]") {
  const RewardSpec r = RewardSpec::hard(9.0);
  CHECK(r(0.5, 4.5) == Approx(0.5));    // (1/2)^0 = 1
  CHECK(r(0.5, 18.0) == Approx(0.25));  // (2)^-1 = 1/2
  CHECK(r(0.5, 9.0) == Approx(0.5));    // LAT <= T uses alpha
}

TEST_CASE("an infeasible candidate's reward is below every feasible one", "[reward]") {
  const RewardSpec r = RewardSpec::soft(9.0, -0.07);
  CHECK(RewardSpec::kInfeasible == 0.0);
  CHECK(r(0.01, 1000.0) > RewardSpec::kInfeasible);
}
