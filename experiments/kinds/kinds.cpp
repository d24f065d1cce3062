// The table of experiment kinds (kind.h) and `ridgepoint run`'s driver.
#include <ostream>

#include "experiments/kinds/codesign/codesign_kind.h"
#include "experiments/kinds/codesign/codesign_settings.h"
#include "experiments/kinds/hurricane/hurricane_settings.h"
#include "experiments/kinds/kind.h"
#include "experiments/kinds/lacs/lacs_settings.h"
#include "experiments/kinds/nas/nas_settings.h"
#include "experiments/kinds/sweep/sweep_kind.h"
#include "experiments/kinds/sweep/sweep_settings.h"
#include "experiments/kinds/torch_kinds.h"
#include "experiments/run/mpi_context.h"
#include "simulator/error.h"
#include "simulator/suggest.h"
#include "traces/yaml/yaml_map.h"

namespace rp::kinds {
namespace {

void check_simulate(const std::string& file) { load_sweep(file, "simulate"); }
void check_sweep(const std::string& file) { load_sweep(file, "sweep"); }
void check_nas(const std::string& file) { load_nas(file); }
void check_lacs(const std::string& file) { load_lacs(file); }
void check_hurricane(const std::string& file) { load_hurricane(file); }
void check_codesign(const std::string& file) { load_codesign(file); }

}  // namespace

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> table = {
      {"simulate", "each model on each accelerator, one row each (docs/experiments.md)", false, sweep_keys,
       check_simulate, run_sweep},
      {"sweep", "models x accelerators x a grid and zip of hardware and workload keys (docs/experiments.md)", false,
       sweep_keys, check_sweep, run_sweep},
      {"nas", "hardware-aware NAS: RL or random search, simulator latency, proxy training (docs/nas.md)", true,
       nas_keys, check_nas, run_nas},
      {"lacs", "latency-aware compound scaling into a model family (docs/lacs.md)", true, lacs_keys, check_lacs,
       run_lacs},
      {"hurricane", "HURRICANE: per-layer generated space, supernet, two-stage search (docs/hurricane.md)", true,
       hurricane_keys, check_hurricane, run_hurricane},
      {"codesign",
       "hardware space x networks under area and power budgets: grid or evolution, Pareto fronts "
       "(docs/codesign.md)",
       false, codesign_keys, check_codesign, run_codesign},
  };
  return table;
}

std::string kind_names() {
  std::string s;
  for (const Kind& k : kinds()) s += (s.empty() ? "" : ", ") + std::string(k.name);
  return s;
}

const Kind& find_kind(const std::string& name, const std::string& file) {
  for (const Kind& k : kinds()) {
    if (name == k.name) return k;
  }
  if (name.empty()) {
    traces::YamlMap::load_file(file);  // an unreadable or malformed file says so first
    throw UsageError(file + ": missing required key 'kind' (one of: " + kind_names() + ")");
  }
  std::vector<std::string> names;
  for (const Kind& k : kinds()) names.emplace_back(k.name);
  const std::string hint = did_you_mean(name, names);
  throw UsageError(file + ": key 'kind': unknown kind " + traces::quoted_value(name) +
                   (hint.empty() ? "" : "; " + hint) + " (expected one of: " + kind_names() + ")");
}

int run_experiment(run::RunRequest request, std::ostream& log, run::RunSummary* summary) {
  request.kind = traces::peek_scalar(request.file, "kind");
  const Kind& kind = find_kind(request.kind, request.file);
  if (kind.needs_libtorch && !libtorch_linked()) throw NeedsLibTorch("kind: " + request.kind);  // before MPI starts
  int argc = 0;
  char** argv = nullptr;
  run::MpiContext mpi(&argc, &argv);
  request.rank = mpi.rank();
  request.ranks = mpi.size();
  try {
    run::RunContext ctx(request, log);
    const int code = kind.run(ctx);
    ctx.sync_progress();  // stopped by --max-points: what the journal holds is on disk before we say it is kept
    if (summary) *summary = ctx.summary();
    return code;
  } catch (const Interrupted& e) {
    if (mpi.size() > 1) mpi.abort(e.exit_code());  // mpirun then ends every rank
    throw;
  } catch (const std::exception& e) {
    if (mpi.size() > 1) {  // one rank failing must not leave the others waiting
      log << "ridgepoint: rank " << mpi.rank() << ": " << e.what() << "\n";
      mpi.abort(2);
    }
    throw;
  }
}

}  // namespace rp::kinds
