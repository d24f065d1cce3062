// Engine timing semantics on hand-checkable graphs. OpsModel: a task takes task.ops picoseconds.
#include <catch2/catch.hpp>

#include <utility>

#include "simulator/engine.h"
#include "tests/simulator/test_models.h"

using namespace rp::sim;
using rp::sim::test::Channel;
using rp::sim::test::ChannelModel;
using rp::sim::test::OpsModel;
using rp::sim::test::ptrs;
using rp::sim::test::task;

TEST_CASE("engine: an empty graph has makespan 0", "[simulator][engine]") {
  std::vector<OpsModel> m(2);
  const EngineResult r = run(TaskGraph{}, ptrs(m));
  CHECK(r.makespan == 0);
  CHECK(r.tasks.empty());
  REQUIRE(r.units.size() == 2);
  CHECK(r.units[0].name == "ops");
}

TEST_CASE("engine: a single task's makespan is its service time", "[simulator][engine]") {
  std::vector<OpsModel> m(1);
  TaskGraph g;
  g.add(task(0, 1234));
  const EngineResult r = run(g, ptrs(m));
  CHECK(r.makespan == 1234);
  CHECK(r.tasks[0].start == 0);
  CHECK(r.tasks[0].end == 1234);
  CHECK(r.units[0].busy == 1234);
  CHECK(r.units[0].tasks == 1);
}

TEST_CASE("engine: in a chain across units the successor starts when its predecessor ends", "[simulator][engine]") {
  std::vector<OpsModel> m(2);
  TaskGraph g;
  const TaskId a = g.add(task(0, 100));
  const TaskId b = g.add(task(1, 40), {a});
  const EngineResult r = run(g, ptrs(m));
  // A: 0..100 on unit 0; B ready at 100, starts at once on idle unit 1, ends 140.
  CHECK(r.tasks[b].ready == r.tasks[a].end);
  CHECK(r.tasks[b].start == r.tasks[a].end);
  CHECK(r.tasks[b].end == 140);
  CHECK(r.makespan == 140);
  CHECK(r.units[1].wait == 0);
}

TEST_CASE("engine: two ready tasks on one unit queue (contention)", "[simulator][engine]") {
  std::vector<OpsModel> m(1);
  TaskGraph g;
  const TaskId a = g.add(task(0, 100));
  const TaskId b = g.add(task(0, 30));
  const EngineResult r = run(g, ptrs(m));
  // Both ready at 0; tie broken by TaskId: A 0..100, then B 100..130. B waited A's 100 ps.
  CHECK(r.tasks[a].start == 0);
  CHECK(r.tasks[b].ready == 0);
  CHECK(r.tasks[b].start == r.tasks[a].end);
  CHECK(r.makespan == 130);
  CHECK(r.units[0].wait == 100);
  CHECK(r.units[0].busy == 130);
  CHECK(r.units[0].tasks == 2);
}

TEST_CASE("engine: independent tasks on two units overlap", "[simulator][engine]") {
  std::vector<OpsModel> m(2);
  TaskGraph g;
  g.add(task(0, 100));
  g.add(task(1, 70));
  const EngineResult r = run(g, ptrs(m));
  CHECK(r.makespan == 100);  // max(100, 70), not the sum
  CHECK(r.tasks[1].start == 0);
  CHECK(r.units[0].wait + r.units[1].wait == 0);
}

TEST_CASE("engine: diamond dependencies", "[simulator][engine]") {
  std::vector<OpsModel> m(3);
  TaskGraph g;
  const TaskId a = g.add(task(0, 10));
  SECTION("branches on different units run in parallel") {
    const TaskId b = g.add(task(1, 20), {a});
    const TaskId c = g.add(task(2, 30), {a});
    const TaskId d = g.add(task(0, 5), {b, c});
    const EngineResult r = run(g, ptrs(m));
    // A 0..10; B 10..30 and C 10..40 in parallel; D ready when the later one (C) ends: 40..45.
    CHECK(r.tasks[b].start == 10);
    CHECK(r.tasks[c].start == 10);
    CHECK(r.tasks[d].ready == 40);
    CHECK(r.tasks[d].end == 45);
    CHECK(r.makespan == 45);
  }
  SECTION("branches on the same unit serialize, lower TaskId first") {
    const TaskId b = g.add(task(1, 20), {a});
    const TaskId c = g.add(task(1, 30), {a});
    const TaskId d = g.add(task(0, 5), {b, c});
    const EngineResult r = run(g, ptrs(m));
    // B and C both ready at 10 on unit 1: B (lower id) 10..30, C 30..60 (waited 20); D 60..65.
    CHECK(r.tasks[b].start == 10);
    CHECK(r.tasks[c].start == 30);
    CHECK(r.units[1].wait == 20);
    CHECK(r.tasks[d].end == 65);
    CHECK(r.makespan == 65);
  }
}

TEST_CASE("engine: a freed unit picks the earliest-ready task, then the lower TaskId", "[simulator][engine]") {
  std::vector<OpsModel> m(3);
  TaskGraph g;
  const TaskId big = g.add(task(0, 100));        // holds unit 0 for 0..100
  const TaskId p1 = g.add(task(1, 30));          // unit 1: 0..30
  const TaskId p2 = g.add(task(2, 20));          // unit 2: 0..20
  const TaskId late = g.add(task(0, 7), {p1});   // ready 30
  const TaskId early = g.add(task(0, 5), {p2});  // ready 20: earlier, though higher id
  const EngineResult r = run(g, ptrs(m));
  // Unit 0 frees at 100 with both queued: early (ready 20) 100..105, then late (ready 30) 105..112.
  CHECK(r.tasks[big].end == 100);
  CHECK(r.tasks[early].start == 100);
  CHECK(r.tasks[late].start == 105);
  CHECK(r.makespan == 112);
  CHECK(r.units[0].wait == (100 - 20) + (105 - 30));
}

TEST_CASE("engine: simultaneous arrivals are ordered by TaskId whatever the event order", "[simulator][engine]") {
  // Unit `own` runs E (0..50) whose successor F (high id) is ready at 50 on `own`; at the same instant task P on the
  // other unit ends and releases G (lower id than F) onto `own`. G must go first: G 50..60, F 60..61.
  // Both unit assignments are tried so that either unit's completion is evaluated first inside SystemC.
  for (const auto& [own, other] : {std::pair<UnitId, UnitId>{0, 1}, {1, 0}}) {
    std::vector<OpsModel> m(2);
    TaskGraph g;
    const TaskId e = g.add(task(own, 50));
    const TaskId p = g.add(task(other, 50));
    const TaskId gid = g.add(task(own, 10), {p});
    const TaskId f = g.add(task(own, 1), {e});
    const EngineResult r = run(g, ptrs(m));
    CAPTURE(own);
    CHECK(r.tasks[gid].ready == 50);
    CHECK(r.tasks[f].ready == 50);
    CHECK(r.tasks[gid].start == 50);
    CHECK(r.tasks[f].start == 60);
    CHECK(r.makespan == 61);
  }
}

TEST_CASE("engine: zero-duration tasks complete and keep order", "[simulator][engine]") {
  std::vector<OpsModel> m(2);
  TaskGraph g;
  TaskId prev = g.add(task(0, 0));
  for (int i = 0; i < 5; ++i) prev = g.add(task(i % 2, 0), {prev});
  const TaskId last = g.add(task(1, 9), {prev});
  const EngineResult r = run(g, ptrs(m));
  CHECK(r.tasks[last].start == 0);  // six zero-length tasks take no time
  CHECK(r.makespan == 9);
}

TEST_CASE("engine: units sharing a resource contend through their models", "[simulator][engine]") {
  Channel ch;
  std::vector<ChannelModel> m{{"dma0", ch}, {"dma1", ch}};
  TaskGraph g;
  g.add(task(0, 100));
  g.add(task(1, 100));
  const EngineResult r = run(g, ptrs(m));
  // Both units start at 0 (no queueing), but the one channel carries one 100 ps transfer at a time: one transfer
  // ends at 100, the other at 200. Without the shared channel the makespan would be 100.
  CHECK(r.makespan == 200);
  CHECK(r.tasks[0].start == 0);
  CHECK(r.tasks[1].start == 0);
  CHECK(std::min(r.tasks[0].end, r.tasks[1].end) == 100);
  CHECK(r.units[0].busy + r.units[1].busy == 300);  // the second unit is busy while waiting for the channel
  CHECK(r.units[0].name == "dma0");
  // reset() clears the reservation: a second run is identical, not shifted by the first run's free_at.
  const EngineResult again = run(g, ptrs(m));
  CHECK(again.makespan == 200);
}

namespace {
struct Recorder : IEngineObserver {
  std::vector<std::pair<TaskId, Ps>> ends;
  void on_task_end(TaskId id, const Task&, const TaskRecord& rec) override { ends.emplace_back(id, rec.end); }
};
}  // namespace

TEST_CASE("engine: the observer sees every task end in time order", "[simulator][engine]") {
  std::vector<OpsModel> m(2);
  TaskGraph g;
  const TaskId a = g.add(task(0, 30));
  g.add(task(1, 10));
  g.add(task(1, 5), {a});
  Recorder rec;
  run(g, ptrs(m), &rec);
  // Task 1 ends at 10, task 0 at 30, task 2 (30..35) at 35.
  REQUIRE(rec.ends.size() == 3);
  CHECK(rec.ends[0] == std::pair<TaskId, Ps>{1, 10});
  CHECK(rec.ends[1] == std::pair<TaskId, Ps>{0, 30});
  CHECK(rec.ends[2] == std::pair<TaskId, Ps>{2, 35});
}
