// `ridgepoint run FILE.yaml`: runs an experiment config (simulate or sweep) to an HDF5 table, resumably,
// optionally in --jobs worker processes or across MPI ranks (`mpirun -np N ridgepoint run FILE.yaml`).
// `kind: nas` experiments go to the search runner (nas/runner, docs/nas.md), `kind: lacs` to the compound-scaling
// runner (lacs/lacs_runner.h, docs/lacs.md).
#include <iostream>
#include <ostream>

#include "experiments/cli/command.h"
#include "experiments/cli/options.h"
#include "experiments/runner/experiment.h"
#include "experiments/runner/interrupt.h"
#include "experiments/runner/mpi_context.h"
#include "experiments/runner/runner.h"
#include "lacs/lacs_runner.h"
#include "nas/runner/nas_runner.h"
#include "traces/yaml/yaml_map.h"
#include "simulator/error.h"

namespace rp::cli {

int cmd_run(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()
    ("experiment", po::value<std::string>()->required(), "experiment YAML (see docs/experiments.md)")
    ("jobs,j", po::value<int>()->default_value(1), "worker processes on this machine")
    ("max-points", po::value<long long>()->default_value(-1), "stop after this many new points (rerun to resume)")
    ("fresh", "discard earlier progress and output, start over")
    ("fashion-mnist", po::value<std::string>()->default_value(nas::FashionMnist::kDefaultDir),
     "kind: nas / lacs (proxy accuracy): directory of the Fashion-MNIST IDX files");
  po::positional_options_description pos;
  pos.add("experiment", 1);
  po::variables_map vm;
  if (parse_options("run", "ridgepoint run FILE.yaml [--jobs N] [--max-points N] [--fresh]", args, desc, pos, vm, out)) {
    return 0;
  }
  run::RunOptions o;
  o.jobs = vm["jobs"].as<int>();
  if (o.jobs < 1) throw UsageError("run: --jobs must be >= 1");
  o.max_points = vm["max-points"].as<long long>();
  o.fresh = vm.count("fresh") > 0;
  o.version = RIDGEPOINT_VERSION;

  int argc = 0;
  char** argv = nullptr;
  run::MpiContext mpi(&argc, &argv);
  o.rank = mpi.rank();
  o.ranks = mpi.size();
  o.barrier = [&mpi] { mpi.barrier(); };
  const std::string file = vm["experiment"].as<std::string>();
  const std::string kind = traces::peek_scalar(file, "kind");
  if (kind == "nas") {
    nas::NasRunOptions n;
    n.jobs = o.jobs;
    n.rank = mpi.rank();
    n.ranks = mpi.size();
    n.max_samples = o.max_points;
    n.fresh = o.fresh;
    n.dataset_dir = vm["fashion-mnist"].as<std::string>();
    n.version = RIDGEPOINT_VERSION;
    try {
      nas::run_nas(nas::NasExperiment::load(file), n, std::cerr);
    } catch (const std::exception& ex) {
      if (mpi.size() > 1) {  // rank 0 searches, the others train: one failing must not leave the rest waiting
        std::cerr << "ridgepoint: rank " << mpi.rank() << ": " << ex.what() << "\n";
        mpi.abort(2);
      }
      throw;
    }
    return 0;
  }
  if (kind == "lacs") {
    if (mpi.size() > 1) throw UsageError("run: kind: lacs runs in one process; use --jobs N instead of MPI ranks");
    lacs::LacsRunOptions l;
    l.jobs = o.jobs;
    l.max_points = o.max_points;
    l.fresh = o.fresh;
    l.dataset_dir = vm["fashion-mnist"].as<std::string>();
    l.version = RIDGEPOINT_VERSION;
    return lacs::run_lacs_experiment(file, l, std::cerr);
  }
  try {
    const run::Experiment e = run::Experiment::load(vm["experiment"].as<std::string>());  // validates everything first
    run::install_interrupt_handlers();
    const run::RunSummary s = run::run_experiment(e, o, std::cerr);
    if (!s.complete && run::interrupted()) return 130;
    return 0;
  } catch (...) {
    if (mpi.size() > 1) {
      // One rank failing must not leave the others waiting at a barrier.
      try {
        throw;
      } catch (const std::exception& ex) {
        std::cerr << "ridgepoint: rank " << mpi.rank() << ": " << ex.what() << "\n";
      }
      mpi.abort(2);
    }
    throw;
  }
}

}  // namespace rp::cli
