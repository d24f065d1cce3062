#pragma once
// The `python` accuracy source's trial (docs/accuracy.md): a callable of the Python process that called
// ridgepoint.run(FILE, accuracy=CALLABLE). The kinds run in the `ridgepoint` executable (LibTorch), a subprocess of
// that Python process, which serves the callable on a Unix socket (python/ridgepoint/_accuracy.py) and passes its
// path with the internal option `ridgepoint run --python-accuracy SOCKET`. A trial's directory is prepared as a
// `command` trial's (trial_command.h: network.yaml, proxy.json); then one connection per trial:
//   Ridgepoint -> Python   the trial directory's absolute path, one line
//   Python -> Ridgepoint   one line: "ok X" (X in [0, 1], exact) or "no REASON" (the callable raised, or returned
//                          something that is not a number in [0, 1]: the candidate's failure, never the run's)
// Python answers one connection at a time, so the callable is called once at a time, in that process, whatever
// --jobs (forked workers connect, they never run Python).
#include <string>

#include <nlohmann/json.hpp>

#include "experiments/kinds/accuracy/accuracy_source.h"
#include "simulator/error.h"

namespace rp::kinds {

// Asks the callable behind `socket` to rate the trial in `dir`. SimulationError when the socket cannot be reached
// or answers no line (the Python side is gone: every later candidate would fail too); an interrupt (the StopCheck)
// drops the connection at once and rethrows.
Rating ask_python(const std::string& socket, const std::string& dir, const StopCheck& stop);

// A prepared trial (prepare_trial, trial_command.h) rated by `method`'s source: ask_python for `python`, else
// run_trial (`command`).
Rating rate_trial(const std::string& method, const AccuracySource& src, const std::string& dir, const StopCheck& stop);

// A network file (its text `yaml`) rated by an external source, as LACS and codesign rate scaled networks: looked up
// by the file's sha256 in `table` when one is given (a miss: table_miss), else a trial "net-HASH16" prepared in
// `side_dir` (network.yaml, and proxy.json: `proxy` with "network_sha256" added) and rated by rate_trial.
Rating rate_network_file(const std::string& method, const AccuracySource& src, const AccuracyTable* table,
                         const std::string& side_dir, const std::string& yaml, nlohmann::json proxy);

// A reply line as a Rating: "ok X" with X a number in [0, 1], "no REASON"; anything else a failure naming it.
Rating parse_python_reply(const std::string& line);

}  // namespace rp::kinds
