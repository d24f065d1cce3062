#include "lacs/grid_search.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
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

bool same(const Triplet& a, const Triplet& b) {
  return std::fabs(a.alpha - b.alpha) < 1e-9 && std::fabs(a.beta - b.beta) < 1e-9 &&
         std::fabs(a.gamma - b.gamma) < 1e-9;
}

std::string text(const Triplet& t) {
  char buf[100];
  std::snprintf(buf, sizeof buf, "(%.4g, %.4g, %.4g)", t.alpha, t.beta, t.gamma);
  return buf;
}

// One stage: the points at indices [first, first + n): known ones taken, the rest evaluated up to the budget.
class Stage {
 public:
  Stage(const GridRun& run, GridOutcome& out, int stage, int64_t first, const std::vector<Triplet>& points)
      : run_(run), out_(out), stage_(stage), first_(first), points_(points), results_(points.size()) {}

  // False when the budget stopped it before every point was done.
  bool run() {
    std::vector<size_t> todo;
    int64_t known = 0;
    for (size_t i = 0; i < points_.size(); ++i) {
      if (take_known(i))
        ++known;
      else
        todo.push_back(i);
    }
    out_.resumed += known;
    const int64_t left = run_.budget < 0 ? -1 : std::max<int64_t>(0, run_.budget - out_.evaluated);
    const bool cut = left >= 0 && static_cast<int64_t>(todo.size()) > left;
    if (cut) todo.resize(static_cast<size_t>(left));
    if (run_.on_stage) run_.on_stage(stage_, static_cast<int64_t>(points_.size()), known, todo.size());
    std::vector<Triplet> batch;
    for (size_t i : todo) batch.push_back(points_[i]);
    if (!batch.empty()) run_.evaluate(batch, stage_, [&](size_t k, const PointResult& p) { finish(todo.at(k), p); });
    if (cut) return false;
    out_.points.insert(out_.points.end(), results_.begin(), results_.end());
    return true;
  }

 private:
  bool take_known(size_t i) {
    const int64_t index = first_ + static_cast<int64_t>(i);
    const auto it = run_.known.find(index);
    if (it == run_.known.end()) return false;
    if (!same(it->second.t, points_[i]) || it->second.stage != stage_) {
      throw UsageError("point " + std::to_string(index) + " recorded " + text(it->second.t) +
                       " but the search proposes " + text(points_[i]) + " (a journal of another build?); use --fresh");
    }
    results_[i] = it->second;
    return true;
  }

  void finish(size_t i, PointResult p) {
    p.index = first_ + static_cast<int64_t>(i);
    results_[i] = p;
    ++out_.evaluated;
    if (run_.on_point) run_.on_point(p);
  }

  const GridRun& run_;
  GridOutcome& out_;
  int stage_;
  int64_t first_;
  const std::vector<Triplet>& points_;
  std::vector<PointResult> results_;
};

}  // namespace

void point_columns(Columns& c, PointResult& p) {
  c.column("i", p.index, Columns::kJournal);
  c.column("alpha", p.t.alpha);
  c.column("beta", p.t.beta);
  c.column("gamma", p.t.gamma);
  c.column("stage", p.stage);
  c.column("feasible", p.feasible);
  c.column("status", p.status);
  c.column("accuracy", p.accuracy);
  c.column("latency_ms", p.latency_ms);
  c.column("reward", p.reward);
  c.column("flops_ratio", p.flops_ratio);
  c.column("resolution", p.resolution);
  c.column("layers", p.layers);
  c.column("params", p.params);
  c.column("macs", p.macs);
  c.column("accuracy_source", p.accuracy_source);
}

void check_range(const Range& r, const std::string& where) {
  auto text = [&] {
    char buf[120];
    std::snprintf(buf, sizeof buf, "[%g, %g, %g]", r.start, r.stop, r.step);
    return std::string(buf);
  };
  if (!std::isfinite(r.start) || !std::isfinite(r.stop) || !std::isfinite(r.step)) {
    throw UsageError(where + ": expected three finite numbers, got " + text());
  }
  if (!(r.step > 0)) throw UsageError(where + ": step must be > 0, got " + text());
  if (!(r.start > 0)) throw UsageError(where + ": start must be > 0, got " + text());
  if (r.stop < r.start) throw UsageError(where + ": inverted range (stop < start) " + text());
  if ((r.stop - r.start) / r.step > kMaxSteps) {
    throw UsageError(where + ": more than " + std::to_string(kMaxSteps) + " steps " + text());
  }
}

std::vector<double> values(const Range& r) {
  check_range(r, "range");
  std::vector<double> out;
  for (int i = 0; i <= kMaxSteps + 1; ++i) {  // at most kMaxSteps + 1 values (+1 for rounding at the end)
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

GridOutcome search(const GridRun& run) {
  GridOutcome out;
  const std::vector<Triplet> coarse = grid_points(run.grid);
  out.grid_points = static_cast<int64_t>(coarse.size());
  if (!Stage(run, out, 0, 0, coarse).run()) return out;
  if (run.grid.refine && run.grid.refine_divisions > 1) {
    const std::vector<Triplet> fine = refine_points(run.grid, out.points);
    if (!Stage(run, out, 1, out.grid_points, fine).run()) return out;
  }
  out.complete = true;
  return out;
}

std::vector<PointResult> search(const GridSpec& g, const BatchEvaluator& evaluate) {
  GridRun run;
  run.grid = g;
  run.evaluate = [&](const std::vector<Triplet>& ts, int stage, const PointDone& done) {
    const std::vector<PointResult> results = evaluate(ts, stage);
    for (size_t i = 0; i < results.size(); ++i) done(i, results[i]);
  };
  return search(run).points;
}

}  // namespace rp::lacs
