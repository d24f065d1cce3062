// run_torch_experiment (torch_seam.h) in ridgepoint-torch: the experiment kinds of torch_table.h.
// `kind: nas` goes to the search runner (nas/runner, docs/nas.md), `kind: lacs` to the compound-scaling runner
// (lacs/lacs_runner.h, docs/lacs.md), `kind: hurricane` to HURRICANE's runner (hurricane/runner, docs/hurricane.md).
#include <iostream>

#include "experiments/cli/torch_seam.h"
#include "experiments/run/mpi_context.h"
#include "experiments/kinds/hurricane/hurricane_runner.h"
#include "experiments/kinds/lacs/lacs_runner.h"
#include "experiments/kinds/nas/nas_runner.h"
#include "simulator/error.h"

namespace rp::cli {
namespace {

int run_nas(const RunRequest& req) {
  int argc = 0;
  char** argv = nullptr;
  run::MpiContext mpi(&argc, &argv);
  nas::NasRunOptions n;
  n.jobs = req.jobs;
  n.rank = mpi.rank();
  n.ranks = mpi.size();
  n.max_samples = req.max_points;
  n.fresh = req.fresh;
  n.dataset_dir = req.dataset_dir;
  n.version = RIDGEPOINT_VERSION;
  try {
    nas::run_nas(nas::NasExperiment::load(req.file), n, std::cerr);
  } catch (const std::exception& ex) {
    if (mpi.size() > 1) {  // rank 0 searches, the others train: one failing must not leave the rest waiting
      std::cerr << "ridgepoint: rank " << mpi.rank() << ": " << ex.what() << "\n";
      mpi.abort(2);
    }
    throw;
  }
  return 0;
}

int run_lacs(const RunRequest& req) {
  int argc = 0;
  char** argv = nullptr;
  run::MpiContext mpi(&argc, &argv);
  if (mpi.size() > 1) throw UsageError("run: kind: lacs runs in one process; use --jobs N instead of MPI ranks");
  lacs::LacsRunOptions l;
  l.jobs = req.jobs;
  l.max_points = req.max_points;
  l.fresh = req.fresh;
  l.dataset_dir = req.dataset_dir;
  l.version = RIDGEPOINT_VERSION;
  return lacs::run_lacs_experiment(req.file, l, std::cerr);
}

int run_hurricane(const RunRequest& req) {
  int argc = 0;
  char** argv = nullptr;
  run::MpiContext mpi(&argc, &argv);
  hurricane::HurricaneRunOptions h;
  h.jobs = req.jobs;
  h.rank = mpi.rank();
  h.ranks = mpi.size();
  h.fresh = req.fresh;
  h.dataset_dir = req.dataset_dir;
  h.version = RIDGEPOINT_VERSION;
  if (req.max_points >= 0) {
    throw UsageError("run: --max-points does not apply to kind: hurricane (stop it any time: a rerun resumes)");
  }
  try {
    hurricane::run_hurricane(hurricane::HurricaneExperiment::load(req.file), h, std::cerr);
  } catch (const std::exception& ex) {
    if (mpi.size() > 1) {  // rank 0 searches, the others score: one failing must not leave the rest waiting
      std::cerr << "ridgepoint: rank " << mpi.rank() << ": " << ex.what() << "\n";
      mpi.abort(2);
    }
    throw;
  }
  return 0;
}

}  // namespace

int run_torch_experiment(const std::string& kind, const RunRequest& req) {
  if (kind == "nas") return run_nas(req);
  if (kind == "lacs") return run_lacs(req);
  if (kind == "hurricane") return run_hurricane(req);
  throw UsageError(req.file + ": key 'kind': '" + kind + "' is not implemented in this build of ridgepoint-torch");
}

}  // namespace rp::cli
