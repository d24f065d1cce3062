// The search methods and Pareto filter of `kind: codesign` (experiments/kinds/codesign/codesign_search.h,
// codesign_output.h), on synthetic objectives and hand-made points: every expected value is derived in the comments.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <set>

#include "experiments/kinds/codesign/codesign_output.h"
#include "experiments/kinds/codesign/codesign_search.h"

using namespace rp;
using codesign::Genome;

namespace {

// f(g) = sum_k |g_k - t_k|: 0 at t only, and every key moves it by its own distance (a neighbour step helps).
const Genome kTarget = {3, 7, 1, 8, 5, 2};
const std::vector<int64_t> kSizes(6, 10);  // 10^6 points

double distance(const Genome& g) {
  double d = 0;
  for (size_t k = 0; k < g.size(); ++k) d += static_cast<double>(std::llabs(g[k] - kTarget[k]));
  return d;
}

codesign::BatchObjective counted(std::set<int64_t>& asked, int64_t& repeats) {
  return [&asked, &repeats](const std::vector<Genome>& batch) {
    std::vector<double> f;
    for (const Genome& g : batch) {
      if (!asked.insert(codesign::encode(g, kSizes)).second) ++repeats;
      f.push_back(distance(g));
    }
    return f;
  };
}

}  // namespace

TEST_CASE("codesign: a genome's index is mixed radix, last key fastest", "[codesign]") {
  // sizes {3, 4}: genome {2, 1} is 2 x 4 + 1 = 9; the last of 12 points, {2, 3}, is 11.
  CHECK(codesign::encode({2, 1}, {3, 4}) == 9);
  CHECK(codesign::decode(11, {3, 4}) == Genome{2, 3});
  CHECK(codesign::space_size({3, 4, 5}) == 60);
  // 2^31 x 2^31 x 4 = 2^64 points: more than 2^62, refused as -1.
  CHECK(codesign::space_size({int64_t{1} << 31, int64_t{1} << 31, 4}) == -1);
}

TEST_CASE("codesign: evolution finds the optimum that random sampling of the same budget misses", "[codesign]") {
  codesign::EvolutionOptions o;
  o.population = 20;
  o.generations = 60;
  o.seed = 1;
  std::set<int64_t> asked;
  int64_t repeats = 0;
  const codesign::SearchResult r = codesign::evolve(kSizes, o, counted(asked, repeats));
  CHECK(r.best == kTarget);
  CHECK(r.best_fitness == 0);
  CHECK(repeats == 0);  // no genome is asked twice
  CHECK(r.evaluated.size() == asked.size());
  CHECK(static_cast<int64_t>(r.evaluated.size()) <= o.population * (o.generations + 1));
  // Random sampling with as many evaluations (at most 1,220 of 10^6 points: the optimum is hit with probability
  // about 0.12%) stays away from it with this seed.
  std::mt19937_64 rng(1);
  double best_random = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < r.evaluated.size(); ++i) {
    Genome g(kSizes.size());
    for (auto& x : g) x = static_cast<int64_t>(rng() % 10);
    best_random = std::min(best_random, distance(g));
  }
  CHECK(best_random >= 3);
  // Deterministic for a seed: the same evaluations in the same order.
  std::set<int64_t> again;
  CHECK(codesign::evolve(kSizes, o, counted(again, repeats)).evaluated == r.evaluated);
}

TEST_CASE("codesign: evolution on a space smaller than its population evaluates each point once", "[codesign]") {
  codesign::EvolutionOptions o;  // population 16, 10 generations
  std::set<int64_t> asked;
  int64_t repeats = 0;
  const auto f = [&](const std::vector<Genome>& batch) {
    std::vector<double> out;
    for (const Genome& g : batch) {
      if (!asked.insert(codesign::encode(g, {2, 2})).second) ++repeats;
      out.push_back(g == Genome{1, 0} ? -1.0 : static_cast<double>(g[0] + g[1]));  // {1, 0} is the minimum
    }
    return out;
  };
  const codesign::SearchResult r = codesign::evolve({2, 2}, o, f);
  CHECK(r.evaluated.size() <= 4);
  CHECK(repeats == 0);
  CHECK(r.best == Genome{1, 0});
}

TEST_CASE("codesign: the Pareto filter keeps the non-dominated points", "[codesign]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // (latency, energy): A (1, 5) best latency; B (2, 3); C (3, 3) dominated by B; D (4, 1) best energy; E (2, 3)
  // equal to B (neither dominates: both kept); F (5, 5) dominated by all of A..E; G has a NaN: never kept, and
  // its 0 energy dominates nothing.
  const std::vector<std::vector<double>> points = {{1, 5}, {2, 3}, {3, 3}, {4, 1}, {2, 3}, {5, 5}, {nan, 0}};
  CHECK(codesign::pareto_front(points) == std::vector<size_t>{0, 1, 3, 4});
  CHECK(codesign::pareto_front({}).empty());
}

TEST_CASE("codesign: /pareto per network and across the networks", "[codesign]") {
  const int lat = kinds::field_position("latency_ms"), en = kinds::field_position("energy_per_inference_mj");
  REQUIRE(lat >= 0);
  REQUIRE(en >= 0);
  const auto row = [&](int64_t point, const std::string& net, bool feasible, double l, double e) {
    kinds::CodesignRow r;
    r.point = point;
    r.network = net;
    r.feasible = feasible;
    r.figures.assign(kinds::codesign_fields().size(), 0.0);
    r.figures[static_cast<size_t>(lat)] = l;
    r.figures[static_cast<size_t>(en)] = e;
    return r;
  };
  // n1: p0 (1, 4), p1 (2, 2) both non-dominated; p2 (0.5, 1) would dominate both but is infeasible.
  // n2: p0 (2, 2), p1 (1.5, 4.5) non-dominated; p2 (3, 3) dominated by p0.
  // Across (sums over n1 and n2, points feasible for both): p0 (3, 6), p1 (3.5, 6.5) dominated by p0; p2 left out.
  const std::vector<kinds::CodesignRow> rows = {row(0, "n1", true, 1, 4),    row(0, "n2", true, 2, 2),
                                                row(1, "n1", true, 2, 2),    row(1, "n2", true, 1.5, 4.5),
                                                row(2, "n1", false, 0.5, 1), row(2, "n2", true, 3, 3)};
  const auto front = kinds::pareto_rows(rows, {"n1", "n2"}, {"latency_ms", "energy_per_inference_mj"});
  std::vector<std::string> got;
  for (const auto& r : front) got.push_back(r.front + ":" + std::to_string(r.point) + ":" + r.network);
  CHECK(got == std::vector<std::string>{"n1:0:n1", "n1:1:n1", "n2:0:n2", "n2:1:n2", "all:0:n1", "all:0:n2"});
  // One objective: latency alone. n1: p0 (1); n2: p1 (1.5); across: p0 (3) beats p1 (3.5).
  const auto fast = kinds::pareto_rows(rows, {"n1", "n2"}, {"latency_ms"});
  got.clear();
  for (const auto& r : fast) got.push_back(r.front + ":" + std::to_string(r.point));
  CHECK(got == std::vector<std::string>{"n1:0", "n2:1", "all:0", "all:0"});
}
