// `ridgepoint run FILE.yaml`: runs an experiment of any kind (experiments/kinds/kind.h) to HDF5, resumably,
// optionally in --jobs worker processes or across MPI ranks (`mpirun -np N ridgepoint run FILE.yaml`). The kinds
// that train models run in ridgepoint-torch: in the light executable run_experiment throws NeedsLibTorch before
// MPI starts, and main() hands the command line over.
#include <iostream>
#include <ostream>

#include "experiments/cli/command.h"
#include "experiments/cli/options.h"
#include "experiments/kinds/kind.h"
#include "simulator/error.h"
#include "traces/data/fashion_mnist.h"

namespace rp::cli {

int cmd_run(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()("experiment", po::value<std::string>()->required(), "experiment YAML (see docs/experiments.md)")(
      "jobs,j", po::value<int>()->default_value(1), "worker processes on this machine (1..1024)")(
      "max-points", po::value<long long>()->default_value(-1), "stop after this many new points (rerun to resume)")(
      "fresh", "discard earlier progress and output, start over")(
      "fashion-mnist", po::value<std::string>()->default_value(traces::FashionMnist::kDefaultDir),
      "kinds that train: directory of the Fashion-MNIST IDX files");
  po::positional_options_description pos;
  pos.add("experiment", 1);
  po::variables_map vm;
  if (parse_options(
          "run", "ridgepoint run FILE.yaml [--jobs N] [--max-points N] [--fresh]  (kinds: " + kinds::kind_names() + ")",
          args, desc, pos, vm, out)) {
    return 0;
  }
  run::RunRequest req;
  req.file = vm["experiment"].as<std::string>();
  req.jobs = vm["jobs"].as<int>();
  if (req.jobs < 1 || req.jobs > run::kMaxJobs) {
    throw UsageError("run: --jobs must be in [1, " + std::to_string(run::kMaxJobs) + "], got " +
                     std::to_string(req.jobs));
  }
  req.max_units = vm["max-points"].as<long long>();
  if (!vm["max-points"].defaulted() && req.max_units < 0) {
    throw UsageError("run: --max-points must be >= 0, got " + std::to_string(req.max_units));
  }
  req.fresh = vm.count("fresh") > 0;
  req.dataset_dir = vm["fashion-mnist"].as<std::string>();
  req.version = RIDGEPOINT_VERSION;
  return kinds::run_experiment(req, std::cerr);
}

}  // namespace rp::cli
