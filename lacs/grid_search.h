#pragma once
// The coefficient search: a grid over (alpha, beta, gamma), then, optionally, finer grids around the best
// triplets (EfficientNet-X section 5.2: "initial grid search ... then more fine-grained search in the
// neighborhood of the best candidate triplets"). Independent of what a point's reward means and of where points
// are evaluated: the caller evaluates batches of triplets (in a job pool, or with a synthetic function in tests),
// observes each finished point (a journal, progress) and resumes a search by handing in the points an earlier
// search finished. No file I/O.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lacs/scaling.h"
#include "simulator/record.h"

namespace rp::lacs {

struct Range {
  double start = 1, stop = 1, step = 0.05;  // inclusive; finite, 0 < start <= stop, step > 0
};

struct GridSpec {
  Range alpha, beta, gamma;
  bool refine = true;
  int refine_top = 3;        // neighbourhoods of this many best distinct triplets
  int refine_divisions = 5;  // fine step = coarse step / divisions, over +-1 coarse step
};

// Throws UsageError naming `where` (e.g. "grid.alpha") for a range with a NaN or infinite value, a start <= 0, an
// inverted range, a step <= 0 or more than kMaxSteps steps. (Experiment settings refuse these before a run; the
// method checks again so that no caller can make values() loop.)
constexpr int kMaxSteps = 1000;
void check_range(const Range& r, const std::string& where);

// The values start, start + step, ... <= stop (rounded to 1e-9, so 1.15 stays 1.15); check_range() first.
std::vector<double> values(const Range& r);
std::vector<Triplet> grid_points(const GridSpec& g);

struct PointResult {
  int64_t index = 0;  // position in the evaluation order (the grid, then the refinement)
  Triplet t;
  int stage = 0;  // 0 coarse grid, 1 refinement
  bool feasible = true;
  std::string status = "ok";       // why infeasible
  double accuracy = 0;             // percent (surrogate) or validation accuracy x 100 (proxy); NaN when infeasible
  double latency_ms = 0;           // NaN when not simulated
  double reward = 0;               // 0 when infeasible
  double flops_ratio = 0;          // (alpha beta^2 gamma^2)^search_phi: the nominal FLOPs ratio of the point's level
  int resolution = 0, layers = 0;  // 0 when outside the limits (lacs/scaling.h limit_problem())
  int64_t params = 0, macs = 0;    // MACs per image; 0 when not built
  std::string accuracy_source;     // where the accuracy came from (Problem::accuracy_source)
};
// The columns of /grid and of a journal line: i (the index: journal only), alpha, beta, gamma, stage, feasible,
// status, accuracy, latency_ms, reward, flops_ratio, resolution, layers, params, macs, accuracy_source.
void point_columns(Columns& c, PointResult& p);

// The refinement points around the `top` best feasible distinct triplets of `done` (ties: the earlier point),
// clipped to the coarse ranges, excluding triplets already in `done`; in a deterministic order.
std::vector<Triplet> refine_points(const GridSpec& g, const std::vector<PointResult>& done);

// Index of the best feasible point (highest reward; ties: the earlier), or -1.
int best_point(const std::vector<PointResult>& points);

// Called by an evaluator for each point of a batch as it finishes: its position in the batch and its result.
using PointDone = std::function<void(size_t i, const PointResult& p)>;

struct GridRun {
  GridSpec grid;
  // Evaluates the triplets of `stage` (those no earlier search finished), in any order, calling `done` once for
  // each (the result's index is set by the search).
  std::function<void(const std::vector<Triplet>& triplets, int stage, const PointDone& done)> evaluate;
  std::map<int64_t, PointResult> known;              // points an earlier search finished, by index
  std::function<void(const PointResult&)> on_point;  // each new point once finished (journal, progress)
  // At the start of each stage: its points in all, those known, those to evaluate now (log, progress).
  std::function<void(int stage, int64_t points, int64_t known, int64_t todo)> on_stage;
  int64_t budget = -1;  // new points this search may evaluate (-1: no limit)
};

struct GridOutcome {
  std::vector<PointResult> points;  // every point in evaluation order (complete searches only)
  bool complete = false;            // false: stopped by the budget
  int64_t resumed = 0, evaluated = 0;
  int64_t grid_points = 0;  // points of the coarse grid
};

// Runs the grid, then the refinement. UsageError when a known point is not the triplet the search proposes at
// its index (a journal of another build); "use --fresh".
GridOutcome search(const GridRun& run);

// The same without resume or budget: `evaluate` returns a batch's results in order (tests, the surrogate search).
using BatchEvaluator = std::function<std::vector<PointResult>(const std::vector<Triplet>&, int stage)>;
std::vector<PointResult> search(const GridSpec& g, const BatchEvaluator& evaluate);

}  // namespace rp::lacs
