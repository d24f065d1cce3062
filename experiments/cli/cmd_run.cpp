// `ridgepoint run FILE.yaml`: runs an experiment config (simulate or sweep) to an HDF5 table, resumably,
// optionally in --jobs worker processes or across MPI ranks (`mpirun -np N ridgepoint run FILE.yaml`).
// The kinds that train models (`kind: nas`, `kind: lacs`, ...: torch_table.h) run in ridgepoint-torch through
// torch_seam.h (torch_kinds.cpp); the file's kind is peeked before MPI starts, so the hand-over happens first.
#include <iostream>
#include <ostream>

#include "experiments/cli/command.h"
#include "experiments/cli/options.h"
#include "experiments/cli/torch_seam.h"
#include "experiments/cli/torch_table.h"
#include "experiments/kinds/sweep/experiment.h"
#include "experiments/run/interrupt.h"
#include "experiments/run/mpi_context.h"
#include "experiments/kinds/sweep/runner.h"
#include "nas/train/fashion_mnist.h"
#include "simulator/error.h"
#include "traces/yaml/yaml_map.h"

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
  RunRequest req;
  req.file = vm["experiment"].as<std::string>();
  req.jobs = vm["jobs"].as<int>();
  // 1024 workers is 64x the cores of a large node; each is a forked process holding its own networks.
  if (req.jobs < 1 || req.jobs > 1024) {
    throw UsageError("run: --jobs must be in [1, 1024], got " + std::to_string(req.jobs));
  }
  req.max_points = vm["max-points"].as<long long>();
  if (!vm["max-points"].defaulted() && req.max_points < 0) {
    throw UsageError("run: --max-points must be >= 0, got " + std::to_string(req.max_points));
  }
  req.fresh = vm.count("fresh") > 0;
  req.dataset_dir = vm["fashion-mnist"].as<std::string>();
  const std::string kind = traces::peek_scalar(req.file, "kind");
  if (is_torch_kind(kind)) return run_torch_experiment(kind, req);

  run::RunOptions o;
  o.jobs = req.jobs;
  o.max_points = req.max_points;
  o.fresh = req.fresh;
  o.version = RIDGEPOINT_VERSION;
  int argc = 0;
  char** argv = nullptr;
  run::MpiContext mpi(&argc, &argv);
  o.rank = mpi.rank();
  o.ranks = mpi.size();
  o.barrier = [&mpi] { mpi.barrier(); };
  try {
    const run::Experiment e = run::Experiment::load(req.file);  // validates everything first
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
