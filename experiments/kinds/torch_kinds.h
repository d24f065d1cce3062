#pragma once
// The run functions of the kinds that train (kind.h: needs_libtorch). ridgepoint-torch links their definitions
// (kinds/nas, kinds/lacs, kinds/hurricane); the light `ridgepoint` and the Python module link
// kinds/torch_stubs.cpp, whose versions throw NeedsLibTorch (never reached: run_experiment checks first).
#include "experiments/run/run_context.h"

namespace rp::kinds {

int run_nas(run::RunContext& ctx);
int run_lacs(run::RunContext& ctx);
int run_hurricane(run::RunContext& ctx);

}  // namespace rp::kinds
