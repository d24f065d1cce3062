// OutputFile: written as NAME.tmp, renamed on commit, removed otherwise.
#include <catch2/catch.hpp>

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
