// run_torch_command (torch_seam.h) in ridgepoint-torch: the commands of torch_table.h.
#include "experiments/cli/command.h"
#include "experiments/cli/torch_seam.h"
#include "simulator/error.h"

namespace rp::cli {

int cmd_nas(const std::vector<std::string>& args, std::ostream& out);  // cmd_nas.cpp

int run_torch_command(const std::string& name, const std::vector<std::string>& args, std::ostream& out) {
  if (name == "nas") return cmd_nas(args, out);
  // `hurricane` is listed in torch_table.cpp; its command is dispatched here once it exists.
  throw UsageError("the command '" + name + "' is not implemented in this build of ridgepoint-torch");
}

}  // namespace rp::cli
