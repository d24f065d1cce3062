// run::LineJournal (experiments/run/line_journal.h): a record or header cut short by a kill is dropped when the
// journal is opened again, so the file holds whole records only; the header is the run's identity (identity.h), and
// a journal of a run with another identity, a link or a FIFO at the journal's path, is refused in one line.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
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
    run::LineJournal j(path, identity("E"));
    CHECK(j.created());
    j.append("{\"point\":0}");
    j.append("{\"point\":1}");
  }
  std::ofstream(path, std::ios::app) << "{\"point\":2,\"lat";  // a write cut short by a kill
  run::LineJournal j(path, identity("E"));
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
    run::LineJournal j(path, identity("E"));
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

TEST_CASE("LineJournal: fsync is batched: N records in batches of B take ceil(N / B) fsyncs, the end one more") {
  const test::Scratch d("journal-batch");
  const std::string path = d.file("x.h5.progress.jsonl");
  run::SyncPolicy policy;
  policy.batch = 4;
  policy.interval = std::chrono::hours(1);  // only the count triggers a sync in this test
  run::LineJournal j(path, identity("E"), policy);
  for (int i = 0; i < 10; ++i) j.append("{\"point\":" + std::to_string(i) + "}");
  // 10 records, batch 4: syncs after the 4th and the 8th; records 9 and 10 wait for the end.
  CHECK(j.syncs() == 2);
  j.sync();
  CHECK(j.syncs() == 3);  // ceil(10 / 4) = 3 <= ceil(N / B) + 1
  j.sync();               // nothing unsynced: no fsync
  CHECK(j.syncs() == 3);
  run::SyncPolicy each;
  each.batch = 1;  // --journal-batch 1: every record, as before batching
  run::LineJournal k(d.file("y.progress.jsonl"), identity("E"), each);
  for (int i = 0; i < 5; ++i) k.append("{\"point\":" + std::to_string(i) + "}");
  CHECK(k.syncs() == 5);
  run::SyncPolicy timed;
  timed.interval = std::chrono::milliseconds(0);  // a sync due at every append (a run whose points take > 1 s)
  run::LineJournal t(d.file("z.progress.jsonl"), identity("E"), timed);
  t.append("{\"point\":0}");
  t.append("{\"point\":1}");
  CHECK(t.syncs() == 2);
}

TEST_CASE("LineJournal: records appended but not yet fsynced survive a SIGKILL of the process mid-batch") {
  const test::Scratch d("journal-kill");
  const std::string path = d.file("x.h5.progress.jsonl");
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    run::SyncPolicy policy;
    policy.batch = 1000;  // no fsync at all before the kill
    policy.interval = std::chrono::hours(1);
    run::LineJournal j(path, identity("E"), policy);
    for (int i = 0; i < 7; ++i) j.append("{\"point\":" + std::to_string(i) + "}");
    ::kill(::getpid(), SIGKILL);  // no destructor, no final sync
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  run::LineJournal j(path, identity("E"));
  CHECK(j.records().size() == 7);  // all 7 written by write(): the kernel had them
  CHECK(j.records().back() == "{\"point\":6}");
}
