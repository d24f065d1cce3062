#pragma once
// Where a candidate's accuracy comes from, the same way for every kind that rates candidates (NAS, LACS; docs/
// accuracy.md), selected by the experiment's `accuracy.method`:
//   proxy      LibTorch proxy training (the kinds' own code: nas/train, lacs/proxy_accuracy)
//   surrogate  LACS's published-data surrogate (lacs/surrogate.h)
//   table      accuracy: {method: table, file: PATH}: a CSV of measured accuracies (load_accuracy_table)
//   command    accuracy: {method: command, argv: [prog, arg, ...], timeout_s: N}: an external trial per candidate
//              (trial_command.h)
//   python     accuracy: {method: python, version: V}: a callable of the Python process that called
//              ridgepoint.run(FILE, accuracy=CALLABLE) (trial_python.h); refused from the command line
// This file holds what does not depend on the kind: the settings of `table` and `command`, their checks, the
// table's loading, a rating as a job reply, the run attributes that name the source, and the identity input of a
// table. The methods (nas/, lacs/) keep receiving accuracy as a function.
// Scale: a table's and a command's accuracies are fractions in [0, 1] (LACS, which works in percent, multiplies
// by 100).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "experiments/run/run_context.h"
#include "experiments/settings/settings.h"
#include "simulator/record.h"

namespace rp::kinds {

// The keys of `table` and `command` inside a kind's `accuracy:` section.
struct AccuracySource {
  std::string file;               // table: the CSV (relative paths: to the experiment file's directory)
  std::vector<std::string> argv;  // command: the program and its arguments (no shell)
  double timeout_s = 3600;        // command: a trial running longer is killed and its candidate infeasible
  std::string version;            // python: the user's version of the callable (the run's identity holds it)
  std::string python_socket;      // python: set by attach_python_source (not a key)
  std::string python_name;        // python: the callable's qualified name (not a key)
};
// Declares file, argv and timeout_s in the current section; `method` is the section's method as read (declared
// before): file is required with and only with `table`, argv with and only with `command`, timeout_s only with
// `command`, version only with `python`.
// `python`: whether the kind takes method python (its `version` key); codesign does not, so it lists no `version`.
void declare_accuracy_source(settings::SettingsVisitor& a, AccuracySource& src, const std::string& method,
                             bool python = true);
// After loading: the table loads (load_accuracy_table's errors), argv[0] names an executable (a path with a '/',
// relative to the experiment file's directory and resolved here, or a program on PATH). UsageError naming `file`
// (the experiment) and the key (SECTION.argv) otherwise.
void check_accuracy_source(const std::string& method, AccuracySource& src, const std::string& file,
                           const std::string& section = "accuracy");

// `method: python` is usable only when ridgepoint.run(FILE, accuracy=CALLABLE) started the run (the request then
// holds the callable's socket and name, run_context.h), and a callable only with `method: python`: fills src's
// python_socket and python_name, or UsageError naming FILE and SECTION.method. `method` "" for a section that is
// off (HURRICANE without retrain).
void attach_python_source(const std::string& method, AccuracySource& src, const run::RunRequest& request,
                          const std::string& section = "accuracy");

// key -> accuracy in [0, 1].
using AccuracyTable = std::map<std::string, double>;
// A CSV with a header naming a `key` column and an `accuracy` column (others are ignored; fields may be quoted
// "..." with "" for a quote, as canonical architectures hold commas; blank lines and lines starting with '#' are
// skipped). UsageError "PATH:LINE: what" for a missing
// column, a row of the wrong width, an accuracy that is not a number in [0, 1], an empty or duplicate key, or an
// unreadable file.
std::shared_ptr<const AccuracyTable> load_accuracy_table(const std::string& path);
// "not in table PATH" (the reason of a miss); a reason that starts so counts as a miss.
std::string table_miss(const std::string& path);
bool is_table_miss(const std::string& reason);

// A candidate's rating: an accuracy in [0, 1], or why there is none (the candidate is then infeasible).
struct Rating {
  double accuracy = 0;
  std::string failure;  // empty: rated
};
// As a job reply (run/job_pool.h) and back: "ok NUMBER" (exact) or "no REASON".
std::string encode_rating(const Rating& r);
Rating decode_rating(const std::string& reply);

// The run attributes that name the source: accuracy_source (the method), accuracy_budget (what it spends: the
// proxy's images and epochs, the table's file and hash, the command's argv and timeout, the surrogate's fit rows'
// source), accuracy_table_misses (rows not in the table; 0 for other sources).
struct AccuracyAttributes {
  std::string source, budget;
  int64_t table_misses = 0;
};
void accuracy_attribute_columns(Columns& c, AccuracyAttributes& a);
// The budget text of `table` and `command` ("table FILE sha256 HASH", "command [argv...] timeout 2 s").
std::string source_budget(const std::string& method, const AccuracySource& src);

// After RunContext::begin(), on the run's process: logs the source; for `command` and `python` makes the run's
// side-file directory (ctx.files(): the trials' directories go inside it, trial_command.h) by writing
// accuracy-command.txt (the argv and timeout) or accuracy-python.txt (the callable), so workers find a directory
// the run owns.
void start_accuracy_source(run::RunContext& ctx, const std::string& method, const AccuracySource& src);

// The table's file in the run's identity (a resume never mixes tables); for `python` the callable's qualified name
// (as an input "python accuracy callable", hashed by its name: Ridgepoint cannot hash Python code; the settings'
// `version` is in the identity with the other settings); a no-op for other methods.
void add_accuracy_inputs(run::RunPlan& plan, const std::string& method, const AccuracySource& src);

}  // namespace rp::kinds
