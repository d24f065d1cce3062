// run::RunLock (traces/writers/run_lock.h): one run per output; a refused run names the holder in one line; a
// holder killed with SIGKILL leaves no stale lock; forked workers keep it held; release removes the file.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "experiments/run/run_lock.h"
#include "simulator/error.h"
#include "tests/experiments/scratch_dir.h"

using namespace rp;

namespace {

bool lock_is_free(const std::string& out) {
  try {
    run::RunLock probe(out);
    return true;
  } catch (const UsageError&) {
    return false;
  }
}

}  // namespace

TEST_CASE("RunLock: a second lock on the same output fails at once, naming the holder in one line") {
  const test::Scratch d("lock");
  const std::string out = d.file("x.h5");
  {
    const run::RunLock a(out);
    CHECK(a.path() == out + ".lock");
    CHECK(std::filesystem::exists(out + ".lock"));
    const std::string holder = out + " is being written by ridgepoint pid " + std::to_string(::getpid()) + " on ";
    CHECK_THROWS_AS(run::RunLock(out), UsageError);
    CHECK_THROWS_WITH(run::RunLock(out), Catch::StartsWith(holder) && Catch::Contains("started ") &&
                                             Catch::Contains("lock file " + out + ".lock") &&
                                             Catch::Contains("wait for it to finish or stop it") &&
                                             !Catch::Contains("\n"));
    const run::RunLock other(d.file("y.h5"));  // another output is another lock
  }
  CHECK_FALSE(std::filesystem::exists(out + ".lock"));  // released: the file is gone
  CHECK(lock_is_free(out));
}

TEST_CASE("RunLock: a lock file that cannot be created is one line naming it") {
  const test::Scratch d("lock-dir");
  CHECK_THROWS_WITH(run::RunLock(d.file("missing/x.h5")),
                    Catch::StartsWith("cannot write lock file " + d.file("missing/x.h5.lock")) &&
                        Catch::Contains("No such file or directory"));
}

TEST_CASE("RunLock: a holder killed with SIGKILL leaves its file but no lock") {
  const test::Scratch d("lock-kill");
  const std::string out = d.file("x.h5");
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t holder = ::fork();
  REQUIRE(holder >= 0);
  if (holder == 0) {
    try {
      const run::RunLock lock(out);
      if (::write(ready[1], "1", 1) != 1) ::_exit(1);
      for (;;) ::pause();
    } catch (...) {}
    ::_exit(1);
  }
  char c = 0;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  CHECK_THROWS_WITH(run::RunLock(out), Catch::Contains("ridgepoint pid " + std::to_string(holder) + " on "));
  ::kill(holder, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(holder, &status, 0) == holder);
  CHECK(std::filesystem::exists(out + ".lock"));  // no destructor ran ...
  CHECK(lock_is_free(out));                       // ... yet the kernel released the lock
  ::close(ready[0]);
  ::close(ready[1]);
}

TEST_CASE("RunLock: forked workers keep the lock of a killed parent until the last of them exits") {
  const test::Scratch d("lock-workers");
  const std::string out = d.file("x.h5");
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t parent = ::fork();
  REQUIRE(parent >= 0);
  if (parent == 0) {
    try {
      const run::RunLock lock(out);
      const pid_t worker = ::fork();  // a plain fork: this worker outlives its parent
      if (worker == 0) {
        for (;;) ::pause();
      }
      if (::write(ready[1], &worker, sizeof worker) != sizeof worker) ::_exit(1);
      for (;;) ::pause();
    } catch (...) {}
    ::_exit(1);
  }
  pid_t worker = -1;
  REQUIRE(::read(ready[0], &worker, sizeof worker) == sizeof worker);
  ::kill(parent, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(parent, &status, 0) == parent);
  CHECK_FALSE(lock_is_free(out));  // the worker still holds it: no second run beside a live worker
  ::kill(worker, SIGKILL);
  bool freed = false;
  for (int i = 0; i < 200 && !freed; ++i) {  // the worker is not our child: poll (2 s at most)
    freed = lock_is_free(out);
    if (!freed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(freed);
  ::close(ready[0]);
  ::close(ready[1]);
}

TEST_CASE("RunLock: a symbolic link planted at the lock's path is refused, its target untouched") {
  const test::Scratch d("lock-symlink");
  const std::string out = d.file("o.h5");
  std::ofstream(d.file("victim")) << "precious\n";
  REQUIRE(::symlink(d.file("victim").c_str(), (out + ".lock").c_str()) == 0);
  CHECK_THROWS_WITH(run::RunLock(out), Catch::Contains("o.h5.lock: it is a symbolic link"));
  CHECK(test::slurp(d.file("victim")) == "precious\n");  // before the fix the lock truncated it to one line
}
