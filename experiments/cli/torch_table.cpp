#include "experiments/cli/torch_table.h"

namespace rp::cli {

const std::vector<TorchCommand>& torch_commands() {
  static const std::vector<TorchCommand> table = {
      {"nas", "neural architecture search spaces: decisions, size, an architecture's blocks"},
      {"hurricane", "HURRICANE: hardware-aware per-layer search spaces and two-stage search"},
  };
  return table;
}

bool is_torch_command(const std::string& name) {
  for (const auto& e : torch_commands()) {
    if (name == e.name) return true;
  }
  return false;
}

}  // namespace rp::cli
