#include "experiments/cli/command.h"

namespace rp::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"models", "list the model zoo", cmd_models},
      {"info", "parameters, MACs, FLOPs and per-layer table of a network", cmd_info},
  };
  return table;
}

}  // namespace rp::cli
