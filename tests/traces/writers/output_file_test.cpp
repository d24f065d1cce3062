// OutputFile: written as NAME.tmp, renamed on commit, removed otherwise; every write checked.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>

#include <fstream>

#include "simulator/error.h"
#include "tests/traces/writers/traced_run.h"
#include "traces/writers/output_file.h"

using namespace rp;

TEST_CASE("OutputFile: commit renames the temporary, without commit it is removed") {
  const test::ScratchDir dir("outfile");
  {
    traces::OutputFile f(dir.file("a.txt"));
    CHECK(f.tmp_path() == dir.file("a.txt.tmp"));
    std::ofstream(f.tmp_path()) << "done\n";
    f.commit();
  }
  CHECK(dir.files() == std::vector<std::string>{"a.txt"});
  {
    traces::OutputFile f(dir.file("a.txt"));  // an existing file is replaced only on commit
    std::ofstream(f.tmp_path()) << "half";
    CHECK(dir.files() == std::vector<std::string>{"a.txt", "a.txt.tmp"});
  }
  CHECK(dir.files() == std::vector<std::string>{"a.txt"});
  std::string line;
  std::getline(std::ifstream(dir.file("a.txt")), line);
  CHECK(line == "done");
  CHECK_THROWS_AS(traces::OutputFile(dir.file("missing/a.txt")), UsageError);
  CHECK_THROWS_AS(traces::OutputFile(""), UsageError);
}

TEST_CASE("OutputFile::write: every byte checked, a refused write leaves the old file and no temporary") {
  const test::ScratchDir dir("outwrite");
  const std::string path = dir.file("a.csv");
  {
    traces::OutputFile f(path);
    f.write("old\n");
    f.commit();
  }
  // RLIMIT_FSIZE: writes past 64 KiB fail with EFBIG ("File too large"), the way a full disk fails with ENOSPC.
  struct rlimit saved {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
  const auto previous = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 65536;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::string message;
  try {
    traces::OutputFile f(path);
    f.write(std::string(100000, 'x'));
    f.commit();
  } catch (const SimulationError& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, previous);
  CHECK(message == "cannot write '" + path + "': File too large");
  CHECK(dir.files() == std::vector<std::string>{"a.csv"});
  std::string line;
  std::getline(std::ifstream(path), line);
  CHECK(line == "old");
}
