#pragma once
// The RunPlan (run_context.h) of a loaded experiment, the same way for every kind: its kind, output and resolved
// settings, and its identity: the canonical settings, every accelerator or network the settings name that is a
// file (built-in names and zoo models are compiled in: the version covers them), the data set files when the run
// trains, and the program version.
#include <string>

#include "experiments/run/run_context.h"
#include "experiments/settings/settings_io.h"

namespace rp::kinds {

// `hardware`: the one accelerator of a kind that has one (its name and resolved YAML become run attributes).
struct Hardware;
run::RunPlan make_plan(const std::string& kind, const std::string& output, const settings::Declare& declare,
                       const run::RunRequest& request, bool reads_dataset, const Hardware* hardware = nullptr);

}  // namespace rp::kinds
