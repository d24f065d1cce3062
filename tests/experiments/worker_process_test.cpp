// run::fork_worker (experiments/runner/worker_process.h): a worker dies at once when its parent is killed with
// SIGKILL; a plain fork() does not (the control, so the check can fail).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "experiments/run/worker_process.h"

namespace {

// Forks a parent that starts one worker (tied to it or not) and idles; returns {parent, worker}.
std::pair<pid_t, pid_t> parent_with_worker(bool tied) {
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t parent = ::fork();
  REQUIRE(parent >= 0);
  if (parent == 0) {
    pid_t worker = -1;
    try {
      worker = tied ? rp::run::fork_worker() : ::fork();
    } catch (...) {
      ::_exit(1);
    }
    if (worker == 0) {
      for (;;) ::pause();
    }
    if (::write(ready[1], &worker, sizeof worker) != sizeof worker) ::_exit(1);
    for (;;) ::pause();
  }
  pid_t worker = -1;
  REQUIRE(::read(ready[0], &worker, sizeof worker) == sizeof worker);
  ::close(ready[0]);
  ::close(ready[1]);
  return {parent, worker};
}

// Waits up to 2 s for an (adopted) process to end; true with its status when it did.
bool ended_within_2s(pid_t pid, int& status) {
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_CASE("fork_worker: killing the parent with SIGKILL kills its worker; a plain fork survives") {
  // Orphans are adopted by this test process, so it can reap them and see how they ended.
  REQUIRE(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
  for (const bool tied : {true, false}) {
    CAPTURE(tied);
    const auto [parent, worker] = parent_with_worker(tied);
    REQUIRE(worker > 0);
    ::kill(parent, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(parent, &status, 0) == parent);
    const bool ended = ended_within_2s(worker, status);
    if (tied) {
      CHECK(ended);
      CHECK((ended && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    } else {
      CHECK_FALSE(ended);  // the control: without fork_worker the worker keeps running
      ::kill(worker, SIGKILL);
      ::waitpid(worker, &status, 0);
    }
  }
}
