// The coefficient search (lacs/grid_search.h) on synthetic objectives with a known optimum; resume and budget.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include "lacs/grid_search.h"
#include "lacs/proxy_accuracy.h"
#include "nas/reward/reward.h"
#include "simulator/error.h"

using namespace rp;

namespace {

lacs::GridSpec grid(bool refine) {
  lacs::GridSpec g;
  g.alpha = {1.0, 1.4, 0.05};
  g.beta = {1.0, 1.3, 0.05};
  g.gamma = {1.0, 1.3, 0.05};
  g.refine = refine;
  return g;
}

// A synthetic latency with its minimum at (1.23, 1.12, 1.07), off the 0.05 grid; accuracy fixed at 80%, soft
// reward ACC x (LAT / T)^-0.07 with T = 1: the reward is highest where the latency is lowest, at the optimum.
std::vector<lacs::PointResult> synthetic(const std::vector<lacs::Triplet>& ts, int stage) {
  const nas::RewardSpec reward = nas::RewardSpec::soft(1.0, -0.07);
  std::vector<lacs::PointResult> out;
  for (const auto& t : ts) {
    lacs::PointResult p;
    p.t = t;
    p.stage = stage;
    p.accuracy = 80;
    p.latency_ms = 1 + std::pow(t.alpha - 1.23, 2) + 2 * std::pow(t.beta - 1.12, 2) + 3 * std::pow(t.gamma - 1.07, 2);
    p.reward = reward(p.accuracy, p.latency_ms);
    out.push_back(p);
  }
  return out;
}

}  // namespace

TEST_CASE("grid values include both ends and stay exact") {
  // [1.0, 1.4, 0.05]: 1.0, 1.05, ..., 1.4 = 9 values; 1.15 is exactly 1.15 (not 1.1500000000000001).
  const auto v = lacs::values({1.0, 1.4, 0.05});
  REQUIRE(v.size() == 9);
  CHECK(v[3] == 1.15);
  CHECK(v.back() == 1.4);
  CHECK(lacs::grid_points(grid(false)).size() == 9u * 7u * 7u);
}

TEST_CASE("latency-aware search finds a synthetic optimum off the coarse grid, which the coarse grid alone misses") {
  const auto fine = lacs::search(grid(true), synthetic);
  const auto best = fine[static_cast<size_t>(lacs::best_point(fine))].t;
  CHECK(best.alpha == Approx(1.23).margin(1e-9));
  CHECK(best.beta == Approx(1.12).margin(1e-9));
  CHECK(best.gamma == Approx(1.07).margin(1e-9));
  const auto coarse = lacs::search(grid(false), synthetic);
  const auto c = coarse[static_cast<size_t>(lacs::best_point(coarse))].t;
  // The nearest grid point (1.25, 1.10, 1.05): each coordinate 0.02 off.
  CHECK(c.alpha == Approx(1.25).margin(1e-9));
  CHECK(c.beta == Approx(1.10).margin(1e-9));
  CHECK(c.gamma == Approx(1.05).margin(1e-9));
  // The refinement (3 neighbourhoods of at most 11^3 points) costs a tenth of a 0.01 grid over the box (41 x 31 x 31).
  CHECK(fine.size() < 4000u);
}

TEST_CASE("a range with NaN, infinity or too many steps is refused, never looped over") {
  const double nan = std::nan(""), inf = HUGE_VAL;
  // [1.0, .nan, 0.1] looped until memory ran out (issue 21): every comparison with NaN is false.
  CHECK_THROWS_WITH(lacs::values({1.0, nan, 0.1}), "range: expected three finite numbers, got [1, nan, 0.1]");
  CHECK_THROWS_AS(lacs::values({nan, 1.0, 0.1}), UsageError);
  CHECK_THROWS_AS(lacs::values({1.0, inf, 0.1}), UsageError);
  CHECK_THROWS_AS(lacs::values({1.0, 2.0, nan}), UsageError);
  CHECK_THROWS_WITH(lacs::values({1.0, 2.0, 0}), "range: step must be > 0, got [1, 2, 0]");
  CHECK_THROWS_WITH(lacs::values({1.3, 1.0, 0.05}), "range: inverted range (stop < start) [1.3, 1, 0.05]");
  // (2 - 1) / 0.0005 = 2000 steps, over the 1000 allowed; 1000 steps give 1001 values.
  CHECK_THROWS_WITH(lacs::values({1.0, 2.0, 0.0005}), "range: more than 1000 steps [1, 2, 0.0005]");
  CHECK(lacs::values({1.0, 2.0, 0.001}).size() == 1001u);
}

TEST_CASE("a search stopped by its budget resumes from the points it finished and equals an uninterrupted one") {
  const lacs::GridSpec g = grid(true);
  const auto whole = lacs::search(g, synthetic);
  std::map<int64_t, lacs::PointResult> journal;
  int calls = 0;
  auto run_with = [&](int64_t budget) {
    lacs::GridRun r;
    r.grid = g;
    r.evaluate = [&](const std::vector<lacs::Triplet>& ts, int stage, const lacs::PointDone& done) {
      const auto res = synthetic(ts, stage);
      for (size_t i = res.size(); i-- > 0;) done(i, res[i]);  // in reverse: completion order is not batch order
    };
    r.known = journal;
    r.on_point = [&](const lacs::PointResult& p) {
      journal[p.index] = p;
      ++calls;
    };
    r.budget = budget;
    return lacs::search(r);
  };
  // 9 x 7 x 7 = 441 grid points: a budget of 100 stops inside the grid, 400 more stop inside the refinement.
  auto a = run_with(100);
  CHECK_FALSE(a.complete);
  CHECK((a.evaluated == 100 && calls == 100 && journal.size() == 100u && a.grid_points == 441));
  auto b = run_with(400);
  CHECK_FALSE(b.complete);
  CHECK((b.resumed == 100 && b.evaluated == 400 && journal.size() == 500u));
  auto c = run_with(-1);
  REQUIRE(c.complete);
  CHECK(c.resumed == 500);
  CHECK(c.evaluated == static_cast<int64_t>(whole.size()) - 500);
  REQUIRE(c.points.size() == whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    CHECK(c.points[i].index == static_cast<int64_t>(i));
    CHECK((c.points[i].t.alpha == whole[i].t.alpha && c.points[i].t.beta == whole[i].t.beta &&
           c.points[i].t.gamma == whole[i].t.gamma && c.points[i].reward == whole[i].reward));
  }
  // A journal whose point 3 is another triplet (another build's grid) is refused, not mixed in.
  journal[3].t.alpha += 0.05;
  CHECK_THROWS_WITH(run_with(-1), Catch::Contains("point 3 recorded (") && Catch::Contains("use --fresh"));
}

TEST_CASE("infeasible points never win, and ties go to the earlier point") {
  std::vector<lacs::PointResult> p(3);
  p[0].reward = 1;
  p[1].reward = 5;
  p[1].feasible = false;
  p[2].reward = 1;
  CHECK(lacs::best_point(p) == 0);
  p[0].feasible = false;
  p[2].feasible = false;
  CHECK(lacs::best_point(p) == -1);
}

TEST_CASE("refinement points stay inside the ranges and skip what was evaluated") {
  lacs::GridSpec g = grid(true);
  g.refine_top = 1;
  std::vector<lacs::PointResult> done(1);
  done[0].t = {1.0, 1.0, 1.0};  // a corner: only the +side neighbourhood is inside
  done[0].reward = 1;
  const auto pts = lacs::refine_points(g, done);
  // 6 fine values per dimension (1.00 .. 1.05 in steps of 0.01) less the evaluated corner: 6^3 - 1 = 215.
  CHECK(pts.size() == 215u);
  for (const auto& t : pts) {
    CHECK(t.alpha >= 1.0);
    CHECK(t.gamma <= 1.05 + 1e-9);
  }
}

TEST_CASE("proxy inputs are resized bilinearly (pixel centres aligned)") {
  // 2 x 2 image [[0, 100], [200, 255]] to 4 x 4: output pixel x samples source (x + 0.5) / 2 - 0.5, clamped:
  // x = 0 -> -0.25 -> 0, x = 1 -> 0.25, x = 2 -> 0.75, x = 3 -> 1.25 -> 1. Row 0: 0, 25, 75, 100.
  traces::ImageSet in;
  in.count = 1;
  in.rows = in.cols = 2;
  in.pixels = {0, 100, 200, 255};
  in.labels = {3};
  const traces::ImageSet out = lacs::resize_images(in, 4);
  REQUIRE(out.pixels.size() == 16u);
  CHECK(out.rows == 4);
  CHECK(std::vector<int>(out.pixels.begin(), out.pixels.begin() + 4) == std::vector<int>{0, 25, 75, 100});
  // Column 0 likewise: 0, 50, 150, 200; the label is kept.
  const std::vector<int> column = {out.pixels[0], out.pixels[4], out.pixels[8], out.pixels[12]};
  CHECK(column == std::vector<int>{0, 50, 150, 200});
  CHECK(out.labels == in.labels);
}
