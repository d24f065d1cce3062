#pragma once
// The commands and experiment kinds that need LibTorch, listed once. The `ridgepoint` executable is built without
// LibTorch (it starts in milliseconds); a command line that uses one of these, or a model given as --torchscript
// FILE (model_source.h), is run by its sibling `ridgepoint-torch` (same sources, every command) instead: main()
// executes it with the same arguments (torch_seam.h). A new command or experiment kind that trains or imports
// PyTorch models gets one line here and its implementation in torch_commands.cpp / torch_kinds.cpp, which only
// ridgepoint-torch links.
#include <string>
#include <vector>

namespace rp::cli {

enum class TorchUse {
  kCommand,  // `ridgepoint NAME ...`
  kKind,     // `ridgepoint run FILE.yaml` with `kind: NAME`
};

struct TorchEntry {
  TorchUse use;
  const char* name;
  const char* summary;  // the line `ridgepoint --help` shows for a command
};

const std::vector<TorchEntry>& torch_table();

bool is_torch_command(const std::string& name);
bool is_torch_kind(const std::string& kind);
std::vector<std::string> torch_kinds();

}  // namespace rp::cli
