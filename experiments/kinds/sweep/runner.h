#pragma once
// Runs an experiment's points, resumably and in parallel.
// Work split: the points not yet in the journal are dealt round-robin to `workers` = jobs (forked worker
// processes on this machine) x ranks (MPI processes); each worker simulates its share and appends rows to the
// shared journal as they finish. When every point is done, rank 0 writes the HDF5 output from the journal, in
// point order, so the table is identical whatever the split and however often the run was interrupted.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

#include "experiments/kinds/sweep/experiment.h"

namespace rp::run {

struct RunOptions {
  int jobs = 1;                       // forked worker processes (ignored under MPI: one worker per rank)
  int64_t max_points = -1;            // stop after this many new points (-1: no limit); rerun to continue
  bool fresh = false;                 // discard earlier progress and output
  int rank = 0, ranks = 1;            // MPI position
  std::function<void()> barrier = [] {};
  std::string version = "";
};

struct RunSummary {
  int64_t total = 0, done_before = 0, computed = 0;
  bool complete = false;
};

RunSummary run_experiment(const Experiment& e, const RunOptions& o, std::ostream& log);

}  // namespace rp::run
