// exec_torch (torch_seam.h): the light executable hands a command line that needs LibTorch to its sibling.
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "experiments/cli/install_paths.h"
#include "experiments/cli/torch_seam.h"
#include "experiments/run/interrupt.h"
#include "simulator/error.h"

namespace rp::cli {
namespace {

constexpr const char* kTorchExecutable = "ridgepoint-torch";

}  // namespace

void exec_torch(char* argv[], const std::string& why) {
  const std::string path = own_directory() + "/" + kTorchExecutable;
  std::vector<char*> args{const_cast<char*>(path.c_str())};
  for (char** a = argv + 1; *a; ++a) args.push_back(*a);
  args.push_back(nullptr);
  run::block_interrupts();  // a Ctrl-C during the hand-over waits for ridgepoint-torch's handlers (interrupt.h)
  ::execv(path.c_str(), args.data());
  run::unblock_interrupts();
  throw SimulationError(why + " needs LibTorch, which this build runs in " + path +
                        ", and that cannot be started: " + std::strerror(errno));
}

}  // namespace rp::cli
