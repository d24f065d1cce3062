// run_torch_command (torch_seam.h) in ridgepoint-torch: the commands of torch_table.h.
#include "experiments/cli/command.h"
#include "experiments/cli/torch_seam.h"
#include "simulator/error.h"

namespace rp::cli {

int cmd_nas(const std::vector<std::string>& args, std::ostream& out);        // cmd_nas.cpp
int cmd_hurricane(const std::vector<std::string>& args, std::ostream& out);  // cmd_hurricane.cpp

int run_torch_command(const std::string& name, const std::vector<std::string>& args, std::ostream& out) {
  if (name == "nas") return cmd_nas(args, out);
  if (name == "hurricane") return cmd_hurricane(args, out);
  throw UsageError("the command '" + name + "' is not implemented in this build of ridgepoint-torch");
}

}  // namespace rp::cli
