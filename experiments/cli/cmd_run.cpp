// `ridgepoint run FILE.yaml`: runs an experiment of any kind (experiments/kinds/kind.h) to HDF5, resumably,
// optionally in --jobs worker processes or across MPI ranks (`mpirun -np N ridgepoint run FILE.yaml`). The kinds
// that train models run in ridgepoint-torch: in the light executable run_experiment throws NeedsLibTorch before
// MPI starts, and main() hands the command line over. `--output PATH` replaces the file's output (relative to the
// current directory); `ridgepoint run --list` prints the shipped experiments (cli/install_paths.h).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <ostream>

#include "experiments/cli/command.h"
#include "experiments/cli/install_paths.h"
#include "experiments/cli/options.h"
#include "experiments/kinds/kind.h"
#include "simulator/error.h"
#include "traces/data/fashion_mnist.h"
#include "traces/yaml/yaml_map.h"

namespace rp::cli {
namespace {

// `run --list`: where the shipped experiments are, then one line each: its path there, kind and output.
int list_experiments(std::ostream& out) {
  const std::string dir = experiments_directory();
  if (dir.empty()) {
    out << "no shipped experiments beside this executable (they install to PREFIX/share/ridgepoint/experiments; "
           "in a source checkout: experiments/)\n";
    return 0;
  }
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string rel = std::filesystem::relative(e.path(), dir).string();
    if (e.is_regular_file() && e.path().extension() == ".yaml" && rel.find("/results/") == std::string::npos &&
        !traces::peek_scalar(e.path().string(), "kind").empty()) {
      files.push_back(rel);
    }
  }
  std::sort(files.begin(), files.end());
  out << "shipped experiments in " << dir << " (outputs relative to each file; run one from your own directory "
      << "with --output PATH):\n";
  for (const std::string& f : files) {
    const std::string path = dir + "/" + f;
    out << "  " << f << "  kind: " << traces::peek_scalar(path, "kind")
        << "  output: " << traces::peek_scalar(path, "output") << "\n";
  }
  return 0;
}

}  // namespace

int cmd_run(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()("experiment", po::value<std::string>(), "experiment YAML (see docs/experiments.md)")(
      "output,o", po::value<std::string>(),
      "the HDF5 output, replacing the file's (relative: to the current directory; the file's own output is "
      "relative to the file)")("list", "print the shipped experiments and where they are installed")(
      "jobs,j", po::value<int>()->default_value(1), "worker processes on this machine (1..1024)")(
      "max-points", po::value<long long>()->default_value(-1), "stop after this many new points (rerun to resume)")(
      "fresh", "discard earlier progress and start over (a previous output stays until the new one replaces it)")(
      "keep-journal", "keep OUTPUT.progress.jsonl after a complete run (removed by default), to inspect it")(
      "journal-batch", po::value<int>()->default_value(run::SyncPolicy{}.batch),
      "fsync the journal after this many points, or at the first point a second or more after the last fsync, and "
      "at the end (1: after every point; each point is written at once either way)")(
      "fashion-mnist", po::value<std::string>()->default_value(traces::FashionMnist::kDefaultDir),
      "kinds that train: directory of the Fashion-MNIST IDX files")(
      "python-accuracy", po::value<std::string>(),
      "internal (ridgepoint.run(FILE, accuracy=CALLABLE) passes it): the socket of the callable behind `method: "
      "python`")("python-accuracy-name", po::value<std::string>(), "internal: that callable's qualified name");
  po::positional_options_description pos;
  pos.add("experiment", 1);
  po::variables_map vm;
  if (parse_options(
          "run",
          "ridgepoint run FILE.yaml [--output PATH] [--jobs N] [--max-points N] [--fresh] | ridgepoint run --list  "
          "(kinds: " +
              kinds::kind_names() + ")",
          args, desc, pos, vm, out)) {
    return 0;
  }
  if (vm.count("list")) return list_experiments(out);
  if (!vm.count("experiment")) {
    throw UsageError(
        "run: give an experiment file: ridgepoint run FILE.yaml (ridgepoint run --list: the shipped "
        "experiments)");
  }
  run::RunRequest req;
  req.file = vm["experiment"].as<std::string>();
  if (vm.count("output")) {
    req.output = vm["output"].as<std::string>();
    if (req.output.empty()) throw UsageError("run: --output: expected a file name, got an empty value");
  }
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
  req.keep_journal = vm.count("keep-journal") > 0;
  req.journal_batch = vm["journal-batch"].as<int>();
  if (req.journal_batch < 1 || req.journal_batch > run::kMaxJournalBatch) {
    throw UsageError("run: --journal-batch must be in [1, " + std::to_string(run::kMaxJournalBatch) + "], got " +
                     std::to_string(req.journal_batch));
  }
  req.dataset_dir = vm["fashion-mnist"].as<std::string>();
  if (vm.count("python-accuracy")) req.python_accuracy = vm["python-accuracy"].as<std::string>();
  if (vm.count("python-accuracy-name")) req.python_accuracy_name = vm["python-accuracy-name"].as<std::string>();
  req.version = RIDGEPOINT_VERSION;
  return kinds::run_experiment(req, std::cerr);
}

}  // namespace rp::cli
