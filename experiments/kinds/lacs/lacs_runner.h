#pragma once
// Runs a `kind: lacs` experiment: the coefficient grid, then the refinement around the best triplets, each point
// evaluated at the search level (lacs/point_eval.h); then the model families phi = 0..P of the found coefficients
// and, for a latency-aware run, of the accuracy-only coefficients on the same base; HDF5 + family YAMLs.
// Resumable: finished points are journaled (lacs/grid_journal.h); a rerun evaluates only what is missing and
// writes the same tables as an uninterrupted run. --jobs N evaluates points in N forked workers (the tables do not
// depend on N). Progress with rate and ETA on `log` (experiments/runner/progress.h).
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "lacs/grid_search.h"
#include "experiments/kinds/lacs/lacs_experiment.h"
#include "nas/train/fashion_mnist.h"

namespace rp::lacs {

struct LacsRunOptions {
  int jobs = 1;
  int64_t max_points = -1;  // stop after this many new points (-1: no limit); rerun to continue
  bool fresh = false;       // discard the journal and output of an earlier run
  std::string dataset_dir = nas::FashionMnist::kDefaultDir;
  std::string version;
};

struct LacsSummary {
  int64_t points = 0, resumed = 0, evaluated = 0, simulations = 0;
  bool complete = false;
  Triplet found, accuracy_only;
  double seconds = 0;
  std::vector<std::string> files;  // the HDF5 file, then the family YAMLs
};

LacsSummary run_lacs(const LacsExperiment& e, const LacsRunOptions& o, std::ostream& log);

// `ridgepoint run FILE.yaml` for kind: lacs: loads (validating everything), runs, returns the exit status (0 done,
// 130 interrupted).
int run_lacs_experiment(const std::string& file, const LacsRunOptions& o, std::ostream& log);

}  // namespace rp::lacs
