#include "experiments/cli/torch_table.h"

namespace rp::cli {

const std::vector<TorchEntry>& torch_table() {
  static const std::vector<TorchEntry> table = {
      {TorchUse::kCommand, "nas", "neural architecture search spaces: decisions, size, an architecture's blocks"},
      {TorchUse::kCommand, "hurricane", "HURRICANE: hardware-aware per-layer search spaces and two-stage search"},
      {TorchUse::kKind, "nas", "RL / random architecture search with proxy training (docs/nas.md)"},
      {TorchUse::kKind, "lacs", "compound scaling with proxy training (docs/lacs.md)"},
      {TorchUse::kKind, "hurricane", "HURRICANE search"},
  };
  return table;
}

namespace {

bool listed(TorchUse use, const std::string& name) {
  for (const auto& e : torch_table()) {
    if (e.use == use && name == e.name) return true;
  }
  return false;
}

}  // namespace

bool is_torch_command(const std::string& name) { return listed(TorchUse::kCommand, name); }
bool is_torch_kind(const std::string& kind) { return listed(TorchUse::kKind, kind); }

std::vector<std::string> torch_kinds() {
  std::vector<std::string> kinds;
  for (const auto& e : torch_table()) {
    if (e.use == TorchUse::kKind) kinds.push_back(e.name);
  }
  return kinds;
}

}  // namespace rp::cli
