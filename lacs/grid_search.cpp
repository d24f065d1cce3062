#include "lacs/grid_search.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "simulator/error.h"

namespace rp::lacs {
namespace {

double snap(double v) { return std::round(v * 1e9) / 1e9; }

std::tuple<long long, long long, long long> key(const Triplet& t) {
  auto k = [](double v) { return std::llround(v * 1e6); };
  return {k(t.alpha), k(t.beta), k(t.gamma)};
}

std::vector<double> around(double center, const Range& r, int divisions) {
  std::vector<double> out;
  const double fine = r.step / divisions;
  for (int i = -divisions; i <= divisions; ++i) {
    const double v = snap(center + i * fine);
    if (v >= r.start - 1e-9 && v <= r.stop + 1e-9) out.push_back(v);
  }
  return out;
}

}  // namespace

void check_range(const Range& r, const std::string& where) {
  auto text = [&] {
    return "[" + std::to_string(r.start) + ", " + std::to_string(r.stop) + ", " + std::to_string(r.step) + "]";
  };
  if (!(r.step > 0)) throw UsageError(where + ": step must be > 0, got " + text());
  if (!(r.start > 0)) throw UsageError(where + ": start must be > 0, got " + text());
  if (r.stop < r.start) throw UsageError(where + ": inverted range (stop < start) " + text());
  if ((r.stop - r.start) / r.step > 1000) throw UsageError(where + ": more than 1000 values " + text());
}

std::vector<double> values(const Range& r) {
  std::vector<double> out;
  for (int i = 0;; ++i) {
    const double v = snap(r.start + i * r.step);
    if (v > r.stop + 1e-9) break;
    out.push_back(v);
  }
  return out;
}

std::vector<Triplet> grid_points(const GridSpec& g) {
  std::vector<Triplet> out;
  for (double a : values(g.alpha)) {
    for (double b : values(g.beta)) {
      for (double c : values(g.gamma)) out.push_back({a, b, c});
    }
  }
  return out;
}

int best_point(const std::vector<PointResult>& points) {
  int best = -1;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!points[i].feasible) continue;
    if (best < 0 || points[i].reward > points[static_cast<size_t>(best)].reward) best = static_cast<int>(i);
  }
  return best;
}

std::vector<Triplet> refine_points(const GridSpec& g, const std::vector<PointResult>& done) {
  std::vector<size_t> order;
  for (size_t i = 0; i < done.size(); ++i) {
    if (done[i].feasible) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return done[a].reward > done[b].reward; });
  std::set<std::tuple<long long, long long, long long>> seen;
  for (const auto& p : done) seen.insert(key(p.t));
  std::vector<Triplet> out;
  const size_t top = std::min(order.size(), static_cast<size_t>(std::max(0, g.refine_top)));
  for (size_t k = 0; k < top; ++k) {
    const Triplet& c = done[order[k]].t;
    for (double a : around(c.alpha, g.alpha, g.refine_divisions)) {
      for (double b : around(c.beta, g.beta, g.refine_divisions)) {
        for (double cc : around(c.gamma, g.gamma, g.refine_divisions)) {
          const Triplet t{a, b, cc};
          if (seen.insert(key(t)).second) out.push_back(t);
        }
      }
    }
  }
  return out;
}

std::vector<PointResult> search(const GridSpec& g, const BatchEvaluator& evaluate) {
  std::vector<PointResult> all = evaluate(grid_points(g), 0);
  if (g.refine && g.refine_divisions > 1) {
    const std::vector<PointResult> fine = evaluate(refine_points(g, all), 1);
    all.insert(all.end(), fine.begin(), fine.end());
  }
  return all;
}

}  // namespace rp::lacs
