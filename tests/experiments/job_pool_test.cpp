// run::JobPool (experiments/run/job_pool.h): the serial and forked pools give the same replies by index, carry a
// job's error out with its kind and message, report a worker that died, and stop within a second of an interrupt
// with no worker left behind.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "experiments/run/interrupt.h"
#include "experiments/run/job_pool.h"
#include "simulator/error.h"
#include "tests/experiments/scratch_dir.h"

using namespace rp;

namespace {

std::string square(const std::string& r) { return std::to_string(std::stoll(r) * std::stoll(r)); }

std::map<size_t, std::string> run_all(run::JobPool& pool, const std::vector<std::string>& requests) {
  std::map<size_t, std::string> replies;
  pool.run(requests, [&](size_t i, const std::string& reply) { replies[i] = reply; });
  return replies;
}

// Runs `body` in a forked child and returns its exit status (WEXITSTATUS), failing after `seconds`.
int in_child(const std::function<int()>& body, int seconds) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) ::_exit(body());
  int status = 0;
  for (int i = 0; i < seconds * 100; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 200;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  FAIL("the child did not finish within " << seconds << " s");
  return -1;
}

}  // namespace

TEST_CASE("JobPool: serial and 3 forked workers give every reply, each at its request's index") {
  const std::vector<std::string> requests = {"1", "2", "3", "4", "5", "6", "7"};
  auto serial = run::make_serial_pool(square);
  auto forked = run::make_fork_pool(3, square);
  CHECK(forked->workers() == 3);
  const auto a = run_all(*serial, requests), b = run_all(*forked, requests);
  CHECK(a == b);
  CHECK(a.at(6) == "49");
  CHECK(a.size() == 7);
}

TEST_CASE("JobPool: a job's error comes out with its kind and message, wherever the job ran") {
  const run::Job job = [](const std::string& r) -> std::string {
    if (r == "bad") throw UsageError("bad request 'bad'");
    if (r == "fail") throw SimulationError("cannot do\nthat");  // a newline in a message stays on one line
    return r;
  };
  for (int workers : {1, 2}) {
    INFO(workers << " workers");
    auto pool = workers == 1 ? run::make_serial_pool(job) : run::make_fork_pool(workers, job);
    CHECK_THROWS_AS(run_all(*pool, {"ok", "bad"}), UsageError);
  }
  auto forked = run::make_fork_pool(2, job);
  CHECK_THROWS_WITH(run_all(*forked, {"fail"}), "cannot do that");
}

TEST_CASE("JobPool: a worker that dies in the middle of a job is reported, not waited for") {
  auto pool = run::make_fork_pool(1, [](const std::string&) -> std::string { ::_exit(3); });
  CHECK_THROWS_WITH(run_all(*pool, {"x"}), Catch::Contains("worker 0 died (exit code 3)"));
}

TEST_CASE("JobPool: an interrupt stops forked workers in the middle of their jobs within a second") {
  // In a child process: the interrupt flag is process state. The jobs would take 30 s; SIGINT comes after 300 ms.
  const test::Scratch d("pool-interrupt");
  const std::string pids = d.file("pids");
  const int code = in_child(
      [&] {
        run::install_interrupt_handlers();
        const auto start = std::chrono::steady_clock::now();
        std::vector<pid_t> workers;
        try {
          auto pool = run::make_fork_pool(2, [&](const std::string&) -> std::string {
            std::ofstream(pids, std::ios::app) << ::getpid() << "\n";
            std::this_thread::sleep_for(std::chrono::seconds(30));
            return "late";
          });
          std::thread([] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            ::kill(::getpid(), SIGINT);
          }).detach();
          pool->run({"a", "b"}, [](size_t, const std::string&) {});
          return 1;  // the jobs finished: not stopped
        } catch (const Interrupted& e) {
          if (e.exit_code() != 130) return 2;
        }
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::ifstream in(pids);
        for (pid_t pid; in >> pid;) {
          if (::kill(pid, 0) == 0) return 3;  // a worker outlived the pool
        }
        return s < 1.3 ? 0 : 4;
      },
      20);
  CHECK(code == 0);  // 1: not stopped, 2: wrong exit code, 3: a worker left, 4: slower than 1 s after the signal
}

TEST_CASE("exact_number: a reply number reads back to the same double") {
  for (double v : {0.1, 1.0 / 3.0, 80.123456789012345, 1e-300, 0.7875}) CHECK(std::stod(run::exact_number(v)) == v);
}
