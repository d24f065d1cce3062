#pragma once
// The commands that need LibTorch, listed once (the experiment kinds that do say so in their own table,
// experiments/kinds/kind.h). The `ridgepoint` executable is built without LibTorch (it starts in milliseconds); a
// command line that uses one of these, a kind that trains, or a model given as --torchscript FILE
// (model_source.h), is run by its sibling `ridgepoint-torch` (same sources, every command) instead: main()
// executes it with the same arguments (torch_seam.h). A new command that trains or imports PyTorch models gets
// one line here and its implementation in torch_commands.cpp, which only ridgepoint-torch links.
#include <string>
#include <vector>

namespace rp::cli {

struct TorchCommand {
  const char* name;
  const char* summary;  // the line `ridgepoint --help` shows
};

const std::vector<TorchCommand>& torch_commands();
bool is_torch_command(const std::string& name);

}  // namespace rp::cli
