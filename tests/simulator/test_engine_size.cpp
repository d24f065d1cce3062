// What a run costs: units without tasks get no SystemC module, and graphs over the size limits are refused.
#include <catch2/catch.hpp>

#include <systemc>

#include "simulator/engine.h"
#include "simulator/error.h"
#include "tests/simulator/test_models.h"

using namespace rp::sim;
using rp::sim::test::OpsModel;
using rp::sim::test::ptrs;
using rp::sim::test::task;

namespace {

// Records, at each task end, how many top-level SystemC objects (the unit modules) the run's context holds.
struct ModuleCounter : IEngineObserver {
  size_t modules = 0;
  void on_task_end(TaskId, const Task&, const TaskRecord&) override {
    modules = sc_core::sc_get_top_level_objects().size();
  }
};

}  // namespace

TEST_CASE("engine: units that serve no task get no SystemC module and an all-zero record", "[simulator][engine]") {
  // 20,000 units (say 64 cores x 300 DMA engines), of which two serve tasks: a chain 0 -> 19,999 of 5 + 7 ps.
  // Before, every unit was a module with a method process, and SystemC 2.3.4 deletes processes in quadratic time.
  std::vector<OpsModel> m(20000);
  TaskGraph g;
  const TaskId a = g.add(task(0, 5));
  g.add(task(19999, 7), {a});
  ModuleCounter counter;
  const EngineResult r = run(g, ptrs(m), &counter);
  CHECK(counter.modules == 2);
  CHECK(r.makespan == 12);
  REQUIRE(r.units.size() == 20000);
  CHECK(r.units[19999].busy == 7);
  CHECK(r.units[19999].tasks == 1);
  CHECK(r.units[1].name == "ops");
  CHECK(r.units[1].busy == 0);
  CHECK(r.units[1].wait == 0);
  CHECK(r.units[1].tasks == 0);
}

TEST_CASE("engine: more units serving tasks than the limit is refused before elaborating",
          "[simulator][engine][errors]") {
  std::vector<OpsModel> m(static_cast<size_t>(kMaxActiveUnits) + 1);
  TaskGraph g;
  for (size_t u = 0; u < m.size(); ++u) g.add(task(static_cast<UnitId>(u), 1));
  CHECK_THROWS_WITH(run(g, ptrs(m)), Catch::Contains("needs 8193 units serving tasks, more than the limit of 8192"));
  g.clear();
  for (UnitId u = 0; u < kMaxActiveUnits; ++u) g.add(task(u, 1));  // exactly at the limit: runs, 1 ps each
  CHECK(run(g, ptrs(m)).makespan == 1);
}

TEST_CASE("engine: a graph of more tasks than the limit is refused with its size", "[simulator][engine][errors]") {
  std::vector<OpsModel> m(1);
  TaskGraph g;
  g.reserve(static_cast<size_t>(kMaxTasks) + 1);
  for (int64_t i = 0; i <= kMaxTasks; ++i) g.add(task(0, 0));
  CHECK_THROWS_AS(run(g, ptrs(m)), rp::SimulationError);
  CHECK_THROWS_WITH(run(g, ptrs(m)), Catch::StartsWith("needs 2000001 tasks, more than the limit of 2000000"));
  CHECK_NOTHROW(check_size(kMaxTasks, kMaxActiveUnits));
}
