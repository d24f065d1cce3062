#include "traces/torchscript/child_call.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <fstream>

#include "simulator/error.h"

namespace rp::traces::ts {
namespace {

constexpr char kReturned = 'R', kThrew = 'T';

// The address space this process uses now, in bytes (/proc/self/statm: total program size in pages).
int64_t address_space_bytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t pages = 0;
  statm >> pages;
  return pages * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

// In the child: lowers the soft RLIMIT_AS to the current size plus `extra` (never raising an inherited limit).
void limit_memory(int64_t extra) {
  rlimit rl{};
  if (getrlimit(RLIMIT_AS, &rl) != 0) return;
  const auto want = static_cast<rlim_t>(address_space_bytes() + extra);
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur <= want) return;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? want : std::min(want, rl.rlim_max);
  setrlimit(RLIMIT_AS, &rl);
}

void write_all(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the parent is gone or killed us: nothing to report to
    done += static_cast<size_t>(n);
  }
}

// The child's whole life: never returns, never throws.
[[noreturn]] void child_main(int fd, const std::function<std::string()>& fn, const ChildLimits& limits) {
  const int null = ::open("/dev/null", O_WRONLY);
  if (null >= 0) {
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    if (null > STDERR_FILENO) ::close(null);
  }
  limit_memory(limits.extra_memory_bytes);
  std::string message;
  try {
    message = kReturned + fn();
  } catch (const std::exception& e) {
    message = std::string(1, kThrew) + e.what();
  } catch (...) {
    message = std::string(1, kThrew) + "unknown exception";
  }
  write_all(fd, message);
  ::_exit(0);  // a forked child ends here: no atexit handlers, no flush of the parent's stdio buffers
}

int wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  return status;
}

std::string how_it_ended(int status) {
  if (WIFSIGNALED(status)) {
    return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  }
  return "exited with status " + std::to_string(WEXITSTATUS(status)) + " without a result";
}

// Reads the child's result until end of file or `deadline`; false on timeout.
bool read_until(int fd, std::chrono::steady_clock::time_point deadline, std::string& out) {
  char buf[4096];
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (r < 0 && errno != EINTR) return true;  // cannot wait: treat as the end, the exit status tells the rest
    if (r <= 0) continue;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    out.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

ChildOutcome run_in_child(const std::function<std::string()>& fn, const ChildLimits& limits) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw SimulationError(std::string("cannot create a pipe for a child process: ") + std::strerror(errno));
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw SimulationError(std::string("cannot start a child process: ") + std::strerror(err));
  }
  if (pid == 0) {
    ::close(fds[0]);
    child_main(fds[1], fn, limits);
  }
  ::close(fds[1]);
  ChildOutcome out;
  std::string text;
  bool ended = false;
  try {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                               std::chrono::duration<double>(std::max(0.0, limits.seconds)));
    ended = read_until(fds[0], deadline, text);
  } catch (...) {  // e.g. bad_alloc while reading: never leave the child running
    ::kill(pid, SIGKILL);
    wait_child(pid);
    ::close(fds[0]);
    throw;
  }
  ::close(fds[0]);
  if (!ended) {
    ::kill(pid, SIGKILL);
    wait_child(pid);
    out.status = ChildOutcome::Status::kTimedOut;
    return out;
  }
  const int status = wait_child(pid);
  if (text.empty() || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || (text[0] != kReturned && text[0] != kThrew)) {
    out.status = ChildOutcome::Status::kDied;
    out.text = how_it_ended(status);
    return out;
  }
  out.status = text[0] == kReturned ? ChildOutcome::Status::kReturned : ChildOutcome::Status::kThrew;
  out.text = text.substr(1);
  return out;
}

}  // namespace rp::traces::ts
