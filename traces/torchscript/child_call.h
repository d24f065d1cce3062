#pragma once
// One call run in a forked child process, bounded in wall time and memory. The TorchScript importer runs a model's
// forward() there: a model is arbitrary code (a scripted `while True:` never returns, a large input allocates
// gigabytes), and neither may hang or exhaust the process that asked for it.
#include <cstdint>
#include <functional>
#include <string>

namespace rp::traces::ts {

struct ChildLimits {
  double seconds = 60;                            // wall time; past it the child is killed (SIGKILL)
  int64_t extra_memory_bytes = int64_t{8} << 30;  // address space beyond this process's at the fork (RLIMIT_AS)
};

struct ChildOutcome {
  enum class Status {
    kReturned,  // fn returned; text is its result
    kThrew,     // fn threw; text is the exception's what() ("unknown exception" for a non-std exception)
    kTimedOut,  // still running after limits.seconds; killed
    kDied,      // ended without a result (a signal, e.g. SIGSEGV or the kernel's OOM kill); text says how
  };
  Status status = Status::kDied;
  std::string text;
};

// Forks; the child runs fn() with stdout and stderr on /dev/null (a model's print() must not reach the CLI's
// output) and its address space limited to what this process has plus limits.extra_memory_bytes (never above an
// inherited limit), sends the result through a pipe and ends with _exit(0), so no atexit handler or stdio buffer of
// this process runs twice. The parent waits at most limits.seconds, then kills and reaps the child; it never leaves
// a child behind. Throws rp::SimulationError when the pipe or the child cannot be created. fork() copies only the
// calling thread: fn must not need another thread of this process or a lock one may hold (the importer runs
// LibTorch single-threaded in the child).
ChildOutcome run_in_child(const std::function<std::string()>& fn, const ChildLimits& limits);

}  // namespace rp::traces::ts
