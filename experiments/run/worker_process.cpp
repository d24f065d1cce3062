#include "experiments/run/worker_process.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "simulator/error.h"

namespace rp::run {

pid_t fork_worker() {
  const pid_t parent = ::getpid();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw SimulationError(std::string("cannot start a worker process: fork: ") + std::strerror(errno));
  if (pid == 0) {
    // In the child only async-signal-safe calls until the caller takes over; _exit, never exit().
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(1);
  }
  return pid;
}

}  // namespace rp::run
