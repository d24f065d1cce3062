#pragma once
// The one table of experiment kinds. `ridgepoint run FILE.yaml` reads the file's `kind:` and runs that entry; the
// lists of kinds in messages and `--help`, `ridgepoint kinds [KIND]`, Python's run() and the hand-over from the
// light `ridgepoint` to `ridgepoint-torch` all come from this table. A new kind is one entry here, a settings
// declaration (settings.h) and a run function (run_context.h); nothing else lists kinds.
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/run/run_context.h"
#include "experiments/settings/settings_io.h"

namespace rp::kinds {

struct Kind {
  const char* name;
  const char* summary;
  bool needs_libtorch;                       // runs in ridgepoint-torch (it trains models)
  std::vector<settings::KeyInfo> (*keys)();  // every settings key, for `ridgepoint kinds KIND`
  void (*check)(const std::string& file);    // loads and validates a file of this kind, running nothing
  int (*run)(run::RunContext& ctx);          // returns the exit code (0: done or stopped by --max-points)
};

const std::vector<Kind>& kinds();
std::string kind_names();  // "simulate, sweep, nas, lacs, hurricane, codesign"
// The entry of `name`; UsageError naming `file` and the valid kinds otherwise.
const Kind& find_kind(const std::string& name, const std::string& file);

// Thrown, before anything else happens, when a kind or command needs LibTorch and this executable has none (the
// light `ridgepoint`); what() says what needed it ("kind: nas"). main() then runs ridgepoint-torch instead.
class NeedsLibTorch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
bool libtorch_linked();  // defined by the torch half (true) or the light stubs (false)

// `ridgepoint run FILE`: finds the kind, joins MPI when launched by mpirun, builds the RunContext and runs the
// kind. Returns the exit code; throws UsageError / SimulationError (one line) and rp::Interrupted (after
// Ctrl-C or SIGTERM: exit 128 + signal). Under MPI a failing rank aborts the job so no rank waits forever.
// `summary`, when given, receives what the run did (run_context.h).
int run_experiment(run::RunRequest request, std::ostream& log, run::RunSummary* summary = nullptr);

}  // namespace rp::kinds
