// SPOS's evolutionary search under a latency constraint (hurricane/search/evolution.h), on a synthetic objective
// whose constrained optimum is known.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "nas/hurricane/search/evolution.h"
#include "simulator/error.h"

using namespace rp::hurricane;

namespace {

// 12 layers of 4 ops; the fitness counts the layers that hold the target's op, so the known optimum is the target
// (fitness 12). Latency: 1 ms per layer holding op 3, limit 4 ms; the target holds op 3 three times, so it is
// feasible while a fifth of the space (every architecture with five or more 3s) is not.
constexpr int kLayers = 12;
const Arch kOptimum = {2, 0, 3, 1, 1, 3, 0, 2, 3, 1, 0, 2};

EaProblem knapsack(std::vector<char> active, Arch frozen) {
  EaProblem p;
  p.choices.assign(kLayers, 4);
  p.active = std::move(active);
  p.frozen = std::move(frozen);
  p.latency_limit_ms = 4;
  p.latency_ms = [](const Arch& a) { return static_cast<double>(std::count(a.begin(), a.end(), 3)); };
  p.fitness = [](const std::vector<Arch>& archs) {
    std::vector<double> out;
    for (const Arch& a : archs) {
      double v = 0;
      for (size_t i = 0; i < a.size(); ++i) v += a[i] == kOptimum[i] ? 1 : 0;
      out.push_back(v);
    }
    return out;
  };
  return p;
}

double value(const Arch& a) { return knapsack(std::vector<char>(kLayers, 1), Arch(kLayers, 0)).fitness({a})[0]; }

}  // namespace

TEST_CASE("EA finds the constrained optimum; random search with the same budget does not") {
  const EaProblem p = knapsack(std::vector<char>(kLayers, 1), Arch(kLayers, 0));
  EaOptions o;  // SPOS: population 50, 20 generations, top-10 parents, mutation 0.1
  const EaResult r = evolve(p, o);
  REQUIRE(r.found);
  CHECK(r.best.arch == kOptimum);
  CHECK(r.best.fitness == 12);
  size_t feasible = 0;
  for (const Candidate& c : r.candidates) {
    if (c.feasible) {
      ++feasible;
      CHECK(c.latency_ms <= 4);
      CHECK_FALSE(std::isnan(c.fitness));
    } else {
      CHECK(std::isnan(c.fitness));  // never scored
    }
  }
  CHECK(feasible <= 50u * 20u);  // the population counts feasible candidates; infeasible draws are redrawn
  // Random search: one generation of 1000 uniform draws out of 4^12 = 16.8 M architectures: the chance of drawing
  // the target is 1000 / 16.8 M = 6e-5, and the best of 1000 draws matches about 7 of 12 layers.
  EaOptions random = o;
  random.population = 1000;
  random.generations = 1;
  const EaResult rr = evolve(p, random);
  REQUIRE(rr.found);
  CHECK(rr.best.fitness < 12);
}

TEST_CASE("EA is deterministic for a seed and independent of how fitness is batched") {
  const EaProblem p = knapsack(std::vector<char>(kLayers, 1), Arch(kLayers, 0));
  EaOptions o;
  o.generations = 5;
  const EaResult a = evolve(p, o), b = evolve(p, o);
  REQUIRE(a.candidates.size() == b.candidates.size());
  for (size_t i = 0; i < a.candidates.size(); ++i) CHECK(a.candidates[i].arch == b.candidates[i].arch);
  o.seed = 2;
  const EaResult c = evolve(p, o);
  bool differs = c.candidates.size() != a.candidates.size();
  for (size_t i = 0; !differs && i < a.candidates.size(); ++i) differs = a.candidates[i].arch != c.candidates[i].arch;
  CHECK(differs);
}

TEST_CASE("frozen layers never change: stage 2 keeps what stage 1 fixed") {
  // Stage 1 searches layers 4..11 with 0..3 frozen to a_win0 = all op 0; stage 2 searches 0..3 with 4..11 frozen
  // to stage 1's winner.
  std::vector<char> late(kLayers, 0), early(kLayers, 0);
  for (int i = 0; i < kLayers; ++i) (i >= 4 ? late : early)[static_cast<size_t>(i)] = 1;
  const EaResult s1 = evolve(knapsack(late, Arch(kLayers, 0)), EaOptions{});
  REQUIRE(s1.found);
  for (const Candidate& c : s1.candidates) {
    for (int i = 0; i < 4; ++i) CHECK(c.arch[static_cast<size_t>(i)] == 0);
  }
  const EaResult s2 = evolve(knapsack(early, s1.best.arch), EaOptions{});
  REQUIRE(s2.found);
  for (const Candidate& c : s2.candidates) {
    for (int i = 4; i < kLayers; ++i) CHECK(c.arch[static_cast<size_t>(i)] == s1.best.arch[static_cast<size_t>(i)]);
  }
  CHECK(value(s2.best.arch) >= value(s1.best.arch));  // stage 2 starts from stage 1's winner's layers
  CHECK(value(s2.best.arch) == 12);                   // and the two stages together reach the target
}

TEST_CASE("EA: a constraint nothing meets is a result (found = false), not an exception; bad options are errors") {
  EaProblem p = knapsack(std::vector<char>(kLayers, 1), Arch(kLayers, 0));
  p.latency_limit_ms = -1;
  EaOptions o;
  o.generations = 2;
  const EaResult r = evolve(p, o);
  CHECK_FALSE(r.found);
  CHECK_FALSE(r.candidates.empty());
  o.parents = 51;
  CHECK_THROWS_WITH(evolve(p, o), Catch::Contains("search.parents"));
}

TEST_CASE("EA: the start architectures are drawn first, so the winner is at least as fit as the start") {
  // Stage 2 as the driver runs it: layers 0..3 searched, 4..11 frozen to kOptimum's, starting from the frozen
  // architecture with layers 0..3 at kOptimum's too: that start is the optimum (fitness 12), so it is the winner
  // whatever else is drawn (a population of 2 for 1 generation: the start and one random architecture).
  std::vector<char> early(kLayers, 0);
  for (int i = 0; i < 4; ++i) early[static_cast<size_t>(i)] = 1;
  EaProblem p = knapsack(early, kOptimum);
  p.start = {kOptimum};
  EaOptions o;
  o.population = 2;
  o.parents = 1;
  o.generations = 1;
  const EaResult r = evolve(p, o);
  REQUIRE(r.candidates.size() == 2);
  CHECK(r.candidates.front().arch == kOptimum);
  CHECK(r.best.arch == kOptimum);
  // A start that changes a frozen layer is refused.
  Arch off = kOptimum;
  off[5] = (off[5] + 1) % 4;
  p.start = {off};
  CHECK_THROWS_WITH(evolve(p, o), Catch::Contains("changes a frozen layer"));
}
