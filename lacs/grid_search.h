#pragma once
// The coefficient search: a grid over (alpha, beta, gamma), then, optionally, finer grids around the best
// triplets (EfficientNet-X section 5.2: "initial grid search ... then more fine-grained search in the
// neighborhood of the best candidate triplets"). Independent of what a point's reward means: the caller
// evaluates batches of triplets (in worker processes, from a journal, or with a synthetic function in tests).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "lacs/scaling.h"

namespace rp::lacs {

struct Range {
  double start = 1, stop = 1, step = 0.05;  // inclusive; step > 0, start <= stop
};

struct GridSpec {
  Range alpha, beta, gamma;
  bool refine = true;
  int refine_top = 3;        // neighbourhoods of this many best distinct triplets
  int refine_divisions = 5;  // fine step = coarse step / divisions, over +-1 coarse step
};

// Throws UsageError naming `where` (e.g. "exp.yaml: grid.alpha") for an empty or inverted range or a bad step.
void check_range(const Range& r, const std::string& where);

// The values start, start + step, ... <= stop (rounded to 1e-9, so 1.15 stays 1.15).
std::vector<double> values(const Range& r);
std::vector<Triplet> grid_points(const GridSpec& g);

struct PointResult {
  Triplet t;
  int stage = 0;  // 0 coarse grid, 1 refinement
  bool feasible = true;
  std::string status = "ok";  // why infeasible
  double accuracy = 0;        // percent (surrogate) or fraction x 100 (proxy)
  double latency_ms = 0;      // NaN when not simulated
  double reward = 0;          // 0 when infeasible
  int resolution = 0, layers = 0;
  int64_t params = 0, macs = 0;  // MACs per image
};

// The refinement points around the `top` best feasible distinct triplets of `done` (ties: the earlier point),
// clipped to the coarse ranges, excluding triplets already in `done`; in a deterministic order.
std::vector<Triplet> refine_points(const GridSpec& g, const std::vector<PointResult>& done);

// Index of the best feasible point (highest reward; ties: the earlier), or -1.
int best_point(const std::vector<PointResult>& points);

using BatchEvaluator = std::function<std::vector<PointResult>(const std::vector<Triplet>&, int stage)>;

// Runs grid then refinement through `evaluate`; returns every point in evaluation order.
std::vector<PointResult> search(const GridSpec& g, const BatchEvaluator& evaluate);

}  // namespace rp::lacs
