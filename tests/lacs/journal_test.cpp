// The search journal (lacs/grid_journal.h): exact round trip, NaN, torn lines, another experiment's journal.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include "experiments/kinds/lacs/grid_journal.h"
#include "simulator/error.h"

using namespace rp;

TEST_CASE("a journaled point reads back exactly, NaN included") {
  lacs::PointResult p;
  p.t = {1.15, 1.1 + 1e-15, 0.1 + 0.2};  // doubles that print with 17 digits
  p.stage = 1;
  p.accuracy = 80.123456789012345;
  p.latency_ms = std::numeric_limits<double>::quiet_NaN();
  p.reward = 1.0 / 3.0;
  p.feasible = false;
  p.status = "outside the FLOPs budget: \"quoted\"";
  p.resolution = 256;
  p.layers = 23;
  p.params = 123456789012;
  p.macs = 987654321;
  int64_t index = -1;
  const lacs::PointResult q = lacs::point_from_json(lacs::point_json(42, p), &index);
  CHECK(index == 42);
  CHECK(q.t.alpha == p.t.alpha);
  CHECK(q.t.beta == p.t.beta);
  CHECK(q.t.gamma == p.t.gamma);
  CHECK(q.accuracy == p.accuracy);
  CHECK(std::isnan(q.latency_ms));
  CHECK(q.reward == p.reward);
  CHECK(q.status == p.status);
  CHECK((q.stage == 1 && !q.feasible && q.resolution == 256 && q.layers == 23));
  CHECK((q.params == p.params && q.macs == p.macs));
}

TEST_CASE("the journal skips a torn line and refuses another experiment's journal") {
  const std::string path = std::string(RP_BINARY_DIR) + "/journal-test.progress.jsonl";
  std::remove(path.c_str());
  {
    const lacs::GridJournal j(path, "{\"experiment\": 1}");
    lacs::PointResult p;
    p.reward = 2;
    j.append(0, p);
    j.append(1, p);
  }
  {
    std::ofstream f(path, std::ios::app);
    f << "{\"i\": 2, \"alpha\": 1.0";  // a write cut short by a kill
  }
  const lacs::GridJournal again(path, "{\"experiment\": 1}");
  const auto done = again.read();
  CHECK(done.size() == 2u);
  CHECK(done.count(0) == 1u);
  CHECK(done.count(1) == 1u);
  // The next point after a torn line is a line of its own.
  lacs::PointResult p3;
  p3.reward = 3;
  again.append(3, p3);
  CHECK(again.read().count(3) == 1u);
  CHECK_THROWS_AS(lacs::GridJournal(path, "{\"experiment\": 2}"), UsageError);
  CHECK_THROWS_WITH(lacs::GridJournal(path, "{\"experiment\": 2}"), Catch::Contains("different experiment"));
  std::remove(path.c_str());
}
