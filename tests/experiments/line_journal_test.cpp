// run::LineJournal (experiments/run/line_journal.h): a record or header cut short by a kill is dropped when the
// journal is opened again, so the file holds whole records only; the header is the run's identity (identity.h), and
// a journal of a run with another identity, a link or a FIFO at the journal's path, is refused in one line.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "experiments/run/line_journal.h"
#include "simulator/error.h"
#include "tests/experiments/scratch_dir.h"

using namespace rp;

namespace {

run::RunIdentity identity(const std::string& settings) {
  run::RunIdentity id;
  id.settings = settings;
  id.version = "1.0";
  id.inputs.push_back({"accelerator", "chip.yaml", "0123456789abcdef"});
  return id;
}

// The header written for identity("E"): nlohmann::json dumps object keys sorted and without spaces.
const std::string kHeader =
    R"({"inputs":[{"hash":"0123456789abcdef","path":"chip.yaml","role":"accelerator"}],"settings":"E","version":"1.0"})"
    "\n";

}  // namespace

TEST_CASE("LineJournal: a torn last record is dropped on open, and the next record is a line of its own") {
  const test::Scratch d("journal");
  const std::string path = d.file("x.h5.progress.jsonl");
  {
    const run::LineJournal j(path, identity("E"));
    CHECK(j.created());
    j.append("{\"point\":0}");
    j.append("{\"point\":1}");
  }
  std::ofstream(path, std::ios::app) << "{\"point\":2,\"lat";  // a write cut short by a kill
  const run::LineJournal j(path, identity("E"));
  CHECK_FALSE(j.created());
  CHECK(test::slurp(path) == kHeader + "{\"point\":0}\n{\"point\":1}\n");
  j.append("{\"point\":2}");
  CHECK(j.records() == std::vector<std::string>{"{\"point\":0}", "{\"point\":1}", "{\"point\":2}"});
  CHECK(test::slurp(path) == kHeader + "{\"point\":0}\n{\"point\":1}\n{\"point\":2}\n");
}

TEST_CASE("LineJournal: a torn header is written again; a file that is no journal is refused") {
  const test::Scratch d("journal-header");
  const std::string path = d.file("x.h5.progress.jsonl");
  std::ofstream(path) << kHeader.substr(0, 20);  // killed while creating the journal
  {
    const run::LineJournal j(path, identity("E"));
    CHECK(test::slurp(path) == kHeader);
    CHECK(j.records().empty());
  }
  std::ofstream(path) << "not json\n";
  CHECK_THROWS_WITH(run::LineJournal(path, identity("E")), Catch::Contains("identity is missing or unreadable"));
  std::ofstream(path) << "{\"experiment\":\"E\"}\n";  // a journal of the previous Ridgepoint (no identity)
  CHECK_THROWS_WITH(run::LineJournal(path, identity("E")), Catch::Contains("identity is missing or unreadable"));
  CHECK(test::slurp(path) == "{\"experiment\":\"E\"}\n");  // a refused journal is left as it was
}

TEST_CASE("LineJournal: a resume with another identity stops in one line naming the difference") {
  const test::Scratch d("journal-identity");
  const std::string path = d.file("x.h5.progress.jsonl");
  run::LineJournal(path, identity("E")).append("{\"point\":0}");
  CHECK_THROWS_WITH(run::LineJournal(path, identity("F")), Catch::Contains("the experiment's settings changed"));
  run::RunIdentity edited = identity("E");
  edited.inputs[0].hash = "fedcba9876543210";  // the accelerator file was edited
  CHECK_THROWS_WITH(run::LineJournal(path, edited), Catch::Contains("accelerator file chip.yaml changed"));
  run::RunIdentity newer = identity("E");
  newer.version = "1.1";
  CHECK_THROWS_WITH(run::LineJournal(path, newer), Catch::Contains("program version 1.0 (journal) vs 1.1"));
  run::RunIdentity more = identity("E");
  more.inputs.push_back({"network", "net.yaml", "1111111111111111"});
  CHECK_THROWS_WITH(run::LineJournal(path, more), Catch::Contains("network file net.yaml was not read"));
  CHECK(run::LineJournal(path, identity("E")).records() == std::vector<std::string>{"{\"point\":0}"});
}

TEST_CASE("LineJournal: a symbolic link or a FIFO at the journal's path is refused, not followed") {
  const test::Scratch d("journal-link");
  const std::string path = d.file("x.h5.progress.jsonl");
  std::ofstream(d.file("elsewhere")) << "outside\n";
  REQUIRE(::symlink(d.file("elsewhere").c_str(), path.c_str()) == 0);
  CHECK_THROWS_WITH(run::LineJournal(path, identity("E")), Catch::Contains("it is a symbolic link"));
  CHECK(test::slurp(d.file("elsewhere")) == "outside\n");
  ::unlink(path.c_str());
  REQUIRE(::mkfifo(path.c_str(), 0644) == 0);  // opening a FIFO for reading would block: it must not
  CHECK_THROWS_WITH(run::LineJournal(path, identity("E")), Catch::Contains("not a regular file"));
}

TEST_CASE("input_file: the hash is FNV-1a 64 of the content; a missing or non-regular file is refused") {
  const test::Scratch d("identity");
  std::ofstream(d.file("a")) << "a";
  // FNV-1a 64 of the one byte 'a' (0x61): (0xcbf29ce484222325 ^ 0x61) * 0x100000001b3 mod 2^64 = 0xaf63dc4c8601ec8c
  // (the published test vector of the FNV reference, "a" -> af63dc4c8601ec8c).
  CHECK(run::input_file("network", d.file("a")).hash == "af63dc4c8601ec8c");
  std::ofstream(d.file("empty"));
  CHECK(run::input_file("network", d.file("empty")).hash == "cbf29ce484222325");  // the offset basis
  CHECK_THROWS_WITH(run::input_file("accelerator", d.file("none")), Catch::Contains("cannot read accelerator file"));
  CHECK_THROWS_WITH(run::input_file("data set", d.file("")), Catch::Contains("not a regular file"));
}
