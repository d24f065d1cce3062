// Controllers on a synthetic reward with a known optimum (no training, no simulation).
#include <catch2/catch.hpp>

#include "nas/controller/controller.h"

using namespace rp::nas;

namespace {

// The efficientnet space's 35 decisions (7 blocks x kernel 2, expand 3, SE 2, filters 3, layers 3 options).
std::vector<int> sizes() { return decision_sizes(search_space("efficientnet")); }

// The optimum: an arbitrary fixed choice per decision. Reward = fraction of decisions that match it, so the
// optimum (and only it) scores 1.
Choices target(const std::vector<int>& s) {
  Choices t;
  for (size_t d = 0; d < s.size(); ++d) t.push_back(static_cast<int>((7 * d + 3) % static_cast<size_t>(s[d])));
  return t;
}

double reward(const Choices& c, const Choices& t) {
  int match = 0;
  for (size_t d = 0; d < c.size(); ++d) match += c[d] == t[d];
  return static_cast<double>(match) / static_cast<double>(c.size());
}

// Runs `budget` samples in rounds of 4 against the optimum `t`; returns the sample count at which the optimum was
// first proposed (0: never) and the best reward seen.
std::pair<int, double> search(Controller& c, const Choices& t, int budget) {
  double best = 0;
  for (int n = 0; n < budget; n += 4) {
    const std::vector<Choices> round = c.propose(4);
    std::vector<double> r;
    for (size_t i = 0; i < round.size(); ++i) {
      r.push_back(reward(round[i], t));
      best = std::max(best, r.back());
      if (r.back() == 1.0) return {n + static_cast<int>(i) + 1, 1.0};
    }
    c.feedback(round, r);
  }
  return {0, best};
}

// A small factorized space: 10 decisions of 4 options, 4^10 = 1,048,576 architectures.
const std::vector<int> kSmall(10, 4);
constexpr int kSmallBudget = 400;

}  // namespace

// Both controllers get the same budget on the small space, where each can be judged. Random search proposes each
// sample uniformly and independently, so the chance that any of its kSmallBudget samples is the one optimum is
// 1 - (1 - 4^-10)^B <= B / 4^10 = 400 / 1,048,576 = 3.8e-4 (union bound): were the RL controller no better
// than random search (a broken update, a policy that ignores rewards), this test would fail with probability
// >= 1 - 3.8e-4. The RL controller with seed 1 found the optimum at sample 122 when this test was written (seeds 2-6:
// 86, 132, 117, 111, 110), so the budget leaves a 3x margin for other CPUs' rounding. Under a second.
TEST_CASE("RL controller finds the synthetic optimum of a small space, random search with the same budget does not",
          "[controller]") {
  const Choices t = target(kSmall);
  ControllerOptions o;
  o.seed = 1;
  const auto rl = make_lstm_controller(kSmall, o);
  const auto [rl_at, rl_best] = search(*rl, t, kSmallBudget);
  INFO("rl found the optimum at sample " << rl_at);
  CHECK(rl_at > 0);
  CHECK(rl_best == 1.0);

  const auto random = make_random_search(kSmall, 1);
  const auto [rnd_at, rnd_best] = search(*random, t, kSmallBudget);
  INFO("random search best reward " << rnd_best);
  CHECK(rnd_at == 0);
  CHECK(rnd_best < 1.0);
}

TEST_CASE("controllers are deterministic for a seed and replayable", "[controller]") {
  for (const std::string method : {"rl", "random"}) {
    ControllerOptions o;
    o.seed = 7;
    const auto a = make_controller(method, sizes(), o);
    const auto b = make_controller(method, sizes(), o);
    const Choices t = target(sizes());
    for (int round = 0; round < 5; ++round) {
      const auto pa = a->propose(4);
      const auto pb = b->propose(4);
      REQUIRE(pa == pb);
      std::vector<double> r;
      for (const auto& c : pa) r.push_back(reward(c, t));
      a->feedback(pa, r);
      b->feedback(pb, r);
    }
  }
}

TEST_CASE("unknown search method is a usage error naming it", "[controller]") {
  CHECK_THROWS_WITH(make_controller("evolution", sizes(), {}), Catch::Contains("unknown search method 'evolution'"));
}
