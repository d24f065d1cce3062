// Many runs in one process: repeatability, flat memory, errors that leave the engine usable.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <sstream>
#include <systemc>

#include "simulator/engine.h"
#include "simulator/error.h"
#include "tests/simulator/test_models.h"

using namespace rp::sim;
using rp::sim::test::Channel;
using rp::sim::test::ChannelModel;
using rp::sim::test::FailingModel;
using rp::sim::test::ModelFailure;
using rp::sim::test::OpsModel;
using rp::sim::test::ptrs;
using rp::sim::test::task;

namespace {

// A pseudo-random layered graph (fixed LCG, so the same every time) over `units` units.
TaskGraph random_graph(int n, int units, uint32_t seed) {
  TaskGraph g;
  uint32_t x = seed;
  auto next = [&x] { return x = x * 1664525u + 1013904223u, x >> 8; };
  for (int i = 0; i < n; ++i) {
    std::vector<TaskId> deps;
    for (int d = 0; d < 2 && i > 0; ++d) {
      if (next() % 3) deps.push_back(static_cast<TaskId>(next() % i));
    }
    g.add(task(static_cast<UnitId>(next() % units), 1 + next() % 1000), deps);
  }
  return g;
}

int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

struct ThrowingObserver : IEngineObserver {
  void on_task_end(TaskId, const Task&, const TaskRecord&) override { throw std::logic_error("observer gave up"); }
};

}  // namespace

TEST_CASE("engine: the same graph twice gives identical records to the picosecond", "[simulator][engine][runs]") {
  Channel ch;
  std::vector<ChannelModel> shared{{"a", ch}, {"b", ch}};
  std::vector<OpsModel> plain(4);
  std::vector<IUnitModel*> units = ptrs(plain);
  units.push_back(&shared[0]);
  units.push_back(&shared[1]);
  const TaskGraph g = random_graph(500, 6, 42);
  const EngineResult r1 = run(g, units);
  const EngineResult r2 = run(g, units);
  REQUIRE(r1.tasks.size() == 500);
  CHECK(r1.makespan > 0);
  CHECK(r1.makespan == r2.makespan);
  for (size_t i = 0; i < r1.tasks.size(); ++i) {
    CAPTURE(i);
    CHECK(r1.tasks[i].ready == r2.tasks[i].ready);
    CHECK(r1.tasks[i].start == r2.tasks[i].start);
    CHECK(r1.tasks[i].end == r2.tasks[i].end);
    CHECK(r1.tasks[i].ready <= r1.tasks[i].start);
  }
  for (size_t u = 0; u < r1.units.size(); ++u) {
    CHECK(r1.units[u].busy == r2.units[u].busy);
    CHECK(r1.units[u].wait == r2.units[u].wait);
  }
}

TEST_CASE("engine: 2,000 runs in one process keep memory flat", "[simulator][engine][runs]") {
  std::vector<OpsModel> m(4);
  const TaskGraph g = random_graph(200, 4, 7);
  const Ps expected = run(g, ptrs(m)).makespan;
  int64_t rss_at_200 = 0;
  for (int i = 1; i <= 2000; ++i) {
    const EngineResult r = run(g, ptrs(m));
    if (r.makespan != expected) FAIL("run " << i << " gave makespan " << r.makespan << ", expected " << expected);
    if (i == 200) rss_at_200 = resident_bytes();
  }
  const int64_t growth = resident_bytes() - rss_at_200;
  INFO("resident memory grew by " << growth << " bytes between run 200 and run 2000");
#ifndef RIDGEPOINT_SANITIZED  // AddressSanitizer's quarantine holds freed memory; LeakSanitizer checks leaks there
  CHECK(growth < 3 * 1024 * 1024);
#endif
}

TEST_CASE("engine: runs print nothing, also when they fail", "[simulator][engine][runs]") {
  // SystemC's default report handler writes to std::cout; the engine replaces it.
  std::ostringstream out, err;
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  std::vector<OpsModel> m(2);
  run(random_graph(50, 2, 3), ptrs(m));
  TaskGraph bad;
  bad.add(task(7, 1));
  CHECK_THROWS(run(bad, ptrs(m)));
  FailingModel failing;
  TaskGraph refused;
  refused.add(task(0, 1, /*kind=*/99));
  CHECK_THROWS_AS(run(refused, {&failing}), ModelFailure);  // stops the simulation with sc_stop()
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  CHECK(out.str().empty());
  CHECK(err.str().empty());
}

TEST_CASE("engine: bad unit ids and null models are refused", "[simulator][engine][errors]") {
  std::vector<OpsModel> m(2);
  TaskGraph g;
  g.add(task(0, 1));
  g.add(task(2, 1));  // only units 0 and 1 exist
  CHECK_THROWS_WITH(run(g, ptrs(m)), Catch::Contains("task 1 names unit 2"));
  TaskGraph neg;
  neg.add(task(-1, 1));
  CHECK_THROWS_AS(run(neg, ptrs(m)), rp::SimulationError);
  std::vector<IUnitModel*> with_null{&m[0], nullptr};
  TaskGraph ok;
  ok.add(task(0, 1));
  CHECK_THROWS_WITH(run(ok, with_null), Catch::Contains("unit 1 has no timing model"));
}

TEST_CASE("engine: a model's exception propagates unchanged and the next run works", "[simulator][engine][errors]") {
  sc_core::sc_simcontext* const before = sc_core::sc_curr_simcontext;
  FailingModel failing;
  OpsModel other;
  std::vector<IUnitModel*> units{&failing, &other};
  TaskGraph g;
  const TaskId a = g.add(task(1, 10));
  g.add(task(0, 5, /*kind=*/99), {a});  // refused by the failing model at t=10
  g.add(task(1, 50));
  CHECK_THROWS_AS(run(g, units), ModelFailure);
  CHECK(sc_core::sc_curr_simcontext == before);  // the run's context is gone, the previous pointer restored
  CHECK(sc_core::sc_default_global_context == before);
  CHECK(failing.resets == 1);

  TaskGraph good;
  good.add(task(0, 5));
  good.add(task(1, 7), {0});
  const EngineResult r = run(good, units);
  CHECK(r.makespan == 12);  // 0..5 then 5..12
  CHECK(failing.resets == 2);
}

TEST_CASE("engine: observer exceptions and negative service times stop the run", "[simulator][engine][errors]") {
  std::vector<OpsModel> m(1);
  TaskGraph g;
  g.add(task(0, 3));
  ThrowingObserver obs;
  CHECK_THROWS_AS(run(g, ptrs(m), &obs), std::logic_error);
  TaskGraph neg;
  neg.add(task(0, -4));
  CHECK_THROWS_WITH(run(neg, ptrs(m)), Catch::Contains("negative service time"));
  CHECK(run(g, ptrs(m)).makespan == 3);
}
