#pragma once
// The `command` accuracy source's trial (docs/accuracy.md): Ridgepoint writes the candidate's files into a work
// directory of its own, runs the user's program there and reads its answer.
//   OUTPUT-STEM.files/trials/NAME/   made afresh for each trial (a previous one's content removed; symbolic links
//                                    are never followed: one planted there is removed, not followed)
//     network.yaml                   the candidate's ImageNet-scale network file (`ridgepoint simulate` accepts it)
//     proxy.json                     what proxy training would have used (kind, arch, seed, images, ...)
//     stderr.log                     the program's stderr
// The program: argv run with no shell (execvp), in its own process group, with the trial directory as its working
// directory and in RIDGEPOINT_TRIAL_DIR, stdin from /dev/null. It prints exactly one line of JSON on stdout,
// {"accuracy": X} with X in [0, 1] (other keys are ignored). Everything else is the candidate's failure, never the
// run's: a non-zero exit ("command exited 3"), a signal ("command killed by signal 9"), running past timeout_s
// ("command timed out after 2 s": the process group is killed), output that is not one such line.
// An interrupt (the StopCheck) kills the trial's process group at once and rethrows.
#include <string>
#include <utility>
#include <vector>

#include "experiments/kinds/accuracy/accuracy_source.h"
#include "simulator/error.h"

namespace rp::kinds {

struct TrialFiles {
  std::string name;                                        // the directory's name under trials/ (a plain name)
  std::vector<std::pair<std::string, std::string>> files;  // name -> content
};

// Makes SIDE_DIR/trials/NAME afresh with `t`'s files; returns its path. SimulationError when a write fails or
// SIDE_DIR (or trials/) is not a directory of its own (a link).
std::string prepare_trial(const std::string& side_dir, const TrialFiles& t);

// Runs `argv` in `dir` as above and returns its rating.
Rating run_trial(const std::vector<std::string>& argv, double timeout_s, const std::string& dir, const StopCheck& stop);

// The answer of a trial's stdout: {"accuracy": X} on one line, X in [0, 1]; else a failure naming what was wrong.
Rating parse_trial_output(const std::string& out);

}  // namespace rp::kinds
