// The light executable's half of torch_seam.h: nothing here links LibTorch; each entry point says what needed it,
// and main() hands the whole command line to ridgepoint-torch.
#include "experiments/cli/torch_seam.h"

namespace rp::cli {

int run_torch_command(const std::string& name, const std::vector<std::string>&, std::ostream&) {
  throw NeedsLibTorch("the command '" + name + "'");
}

}  // namespace rp::cli
