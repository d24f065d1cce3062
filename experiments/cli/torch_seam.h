#pragma once
// The seam between the light `ridgepoint` executable (no LibTorch) and `ridgepoint-torch` (every command). The
// entry points below are defined twice (the kinds that train have their own seam, experiments/kinds/torch_kinds.h):
//  - torch_stubs.cpp (linked into `ridgepoint` and the Python module): each throws NeedsLibTorch before doing
//    anything; main() catches it and executes ridgepoint-torch, found next to itself, with the same arguments;
//  - torch_commands.cpp (linked into `ridgepoint-torch` only): the real ones, with LibTorch.
// The TorchScript importer has its seam with the kinds' (experiments/kinds/model_files.h), so sweeps import too.
// What goes through the seam is listed in torch_table.h.
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/cli/options.h"
#include "experiments/kinds/kind.h"
#include "traces/network/network.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {

// Thrown only by the light stubs; what(): what needed LibTorch ("the command 'nas'", "kind: nas", "--torchscript").
using kinds::NeedsLibTorch;

// `ridgepoint NAME ARGS...` for a command of the table.
int run_torch_command(const std::string& name, const std::vector<std::string>& args, std::ostream& out);

// Replaces this process by ridgepoint-torch (the executable named so in this executable's directory) with `argv`'s
// arguments; returns only on failure, throwing SimulationError naming the path and `why`.
[[noreturn]] void exec_torch(char* argv[], const std::string& why);

}  // namespace rp::cli
