// One call in a forked child, bounded in time and memory (traces/torchscript/child_call.h).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "traces/torchscript/child_call.h"

using rp::traces::ts::ChildLimits;
using rp::traces::ts::ChildOutcome;
using rp::traces::ts::run_in_child;
using Status = ChildOutcome::Status;

namespace {

ChildLimits limits(double seconds, int64_t extra_bytes = int64_t{1} << 30) {
  ChildLimits l;
  l.seconds = seconds;
  l.extra_memory_bytes = extra_bytes;
  return l;
}

// True when this process has no child left (none running, none unreaped).
bool no_children() { return ::waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD; }

}  // namespace

TEST_CASE("child call: the result, or the exception's message, comes back", "[child]") {
  const ChildOutcome r = run_in_child([] { return std::string("1\n1 10\n"); }, limits(10));
  CHECK(r.status == Status::kReturned);
  CHECK(r.text == "1\n1 10\n");
  const ChildOutcome t = run_in_child([]() -> std::string { throw std::invalid_argument("bad shape"); }, limits(10));
  CHECK(t.status == Status::kThrew);
  CHECK(t.text == "bad shape");
  CHECK(no_children());
}

TEST_CASE("child call: a call that never returns is killed at the time limit", "[child]") {
  const auto start = std::chrono::steady_clock::now();
  const ChildOutcome r = run_in_child(
      [] {
        while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
        return std::string();
      },
      limits(0.5));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.status == Status::kTimedOut);
  CHECK(seconds >= 0.5);
  CHECK(seconds < 5);
  CHECK(no_children());  // killed and reaped
}

TEST_CASE("child call: a crash is reported, and this process goes on", "[child]") {
  const ChildOutcome r = run_in_child(
      [] {
        std::raise(SIGSEGV);
        return std::string("unreachable");
      },
      limits(10));
  CHECK(r.status == Status::kDied);
  CHECK_THAT(r.text, Catch::StartsWith("killed by signal 11"));
}

TEST_CASE("child call: memory beyond the limit fails inside the child only", "[child]") {
  // 64 MiB more address space than the parent's: a 1 GiB allocation cannot succeed there.
  const ChildOutcome r = run_in_child(
      [] {
        std::vector<char> big(size_t{1} << 30, 1);
        return std::to_string(big.size());
      },
      limits(10, int64_t{64} << 20));
  CHECK(r.status == Status::kThrew);
  CHECK(r.text == "std::bad_alloc");
  const ChildOutcome ok = run_in_child([] { return std::to_string(std::vector<char>(size_t{16} << 20, 1).size()); },
                                       limits(10, int64_t{64} << 20));
  CHECK(ok.text == std::to_string(size_t{16} << 20));
}

TEST_CASE("child call: the child's output never reaches this process's stdout", "[child]") {
  // This process's stdout goes to a temporary file while the child runs; the child prints to its own stdout.
  std::cout << std::flush;
  char name[] = "/tmp/rp-child-stdout-XXXXXX";
  const int file = ::mkstemp(name);
  REQUIRE(file >= 0);
  const int saved = ::dup(STDOUT_FILENO);
  ::dup2(file, STDOUT_FILENO);
  const ChildOutcome r = run_in_child(
      [] {
        std::cout << "a model's print()" << std::endl;
        return std::string(::write(STDOUT_FILENO, "raw\n", 4) == 4 ? "wrote" : "write failed");
      },
      limits(10));
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  const off_t size = ::lseek(file, 0, SEEK_END);
  ::close(file);
  ::unlink(name);
  CHECK(r.text == "wrote");  // the writes succeeded, into /dev/null
  CHECK(size == 0);
}
