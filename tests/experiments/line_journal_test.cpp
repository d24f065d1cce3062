// traces::LineJournal (traces/writers/line_journal.h): a record or header cut short by a kill is dropped when the
// journal is opened again, so the file holds whole records only and nothing is counted twice.
#include <catch2/catch.hpp>

#include <fstream>

#include "simulator/error.h"
#include "tests/experiments/scratch_dir.h"
#include "experiments/run/line_journal.h"

using namespace rp;

// The header of experiment "E" as nlohmann::json dumps {"experiment": "E"}: compact, no spaces.
static const std::string kHeader = "{\"experiment\":\"E\"}\n";

TEST_CASE("LineJournal: a torn last record is dropped on open, and the next record is a line of its own") {
  const test::Scratch d("journal");
  const std::string path = d.file("x.h5.progress.jsonl");
  {
    const traces::LineJournal j(path, "E");
    j.append("{\"point\":0}");
    j.append("{\"point\":1}");
  }
  std::ofstream(path, std::ios::app) << "{\"point\":2,\"lat";  // a write cut short by a kill
  const traces::LineJournal j(path, "E");
  CHECK(test::slurp(path) == kHeader + "{\"point\":0}\n{\"point\":1}\n");
  j.append("{\"point\":2}");
  CHECK(j.records() == std::vector<std::string>{"{\"point\":0}", "{\"point\":1}", "{\"point\":2}"});
  CHECK(test::slurp(path) == kHeader + "{\"point\":0}\n{\"point\":1}\n{\"point\":2}\n");
}

TEST_CASE("LineJournal: a torn header is written again; a file that is no journal is refused") {
  const test::Scratch d("journal-header");
  const std::string path = d.file("x.h5.progress.jsonl");
  std::ofstream(path) << "{\"experim";  // killed while creating the journal
  {
    const traces::LineJournal j(path, "E");
    CHECK(test::slurp(path) == kHeader);
    CHECK(j.records().empty());
  }
  std::ofstream(path) << "not json";
  CHECK_THROWS_WITH(traces::LineJournal(path, "E"), Catch::Contains("not a ridgepoint progress journal"));
  std::ofstream(path) << "{\"experiment\":\"F\"}\n";
  CHECK_THROWS_WITH(traces::LineJournal(path, "E"), Catch::Contains("progress of a different experiment"));
  CHECK(test::slurp(path) == "{\"experiment\":\"F\"}\n");  // a refused journal is left as it was
}
