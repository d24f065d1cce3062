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

TEST_CASE("control no-latency: the reward is the accuracy term alone (w = 0)", "[reward][control]") {
  RewardSpec r = RewardSpec::soft(9.0, -0.07);
  r.control = LatencyControl::no_latency;
  // (LAT/T)^0 = 1 on both sides of T, so R = ACC whatever the latency: 0.8 at 18 ms (without the control
  // 0.762110, above), at 4.5 ms (0.839774) and at 9 ms.
  CHECK(r(0.8, 18.0) == 0.8);
  CHECK(r(0.8, 4.5) == 0.8);
  CHECK(r(0.8, 9.0) == 0.8);
  RewardSpec h = RewardSpec::hard(9.0);
  h.control = LatencyControl::no_latency;
  CHECK(h(0.5, 18.0) == 0.5);  // hard: 0.25 without the control (above)
  CHECK(r.describe().find("control: no-latency") != std::string::npos);
}

TEST_CASE("control words: the three settings words round-trip, anything else is an error naming it",
          "[reward][control]") {
  for (const std::string w : {"none", "no-latency", "shuffled-latency"}) CHECK(control_word(latency_control(w)) == w);
  CHECK_THROWS_WITH(latency_control("off"), Catch::Contains("unknown reward control 'off'"));
}

TEST_CASE("latency_donors: a permutation with no fixed point (one cycle) for n >= 2, n = 1 keeps its own",
          "[reward][control]") {
  CHECK(latency_donors(0, 1, 0).empty());
  CHECK(latency_donors(1, 1, 0) == std::vector<size_t>{0});
  for (size_t n = 2; n <= 9; ++n) {
    for (int64_t first : {0, 4, 96}) {
      const std::vector<size_t> d = latency_donors(n, 1, first);
      REQUIRE(d.size() == n);
      std::vector<int> used(n, 0);
      for (size_t i = 0; i < n; ++i) {
        CHECK(d[i] != i);  // nobody keeps their own latency
        ++used.at(d[i]);
      }
      for (int u : used) CHECK(u == 1);  // each latency used once: a permutation
      // One cycle: following donors from 0 visits all n before coming back.
      size_t at = 0, steps = 0;
      do {
        at = d[at];
        ++steps;
      } while (at != 0 && steps <= n);
      CHECK(steps == n);
    }
  }
  // Seeded: the same (seed, first) gives the same permutation; the rounds' permutations are not all the same.
  CHECK(latency_donors(7, 3, 8) == latency_donors(7, 3, 8));
  bool differs = false;
  for (int64_t first = 4; first <= 40; first += 4) differs |= latency_donors(7, 3, first) != latency_donors(7, 3, 0);
  CHECK(differs);
}
