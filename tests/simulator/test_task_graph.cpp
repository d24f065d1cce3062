// TaskGraph construction rules and the time helpers.
#include <catch2/catch.hpp>

#include "simulator/error.h"
#include "simulator/task_graph.h"
#include "simulator/time.h"
#include "tests/simulator/test_models.h"

using namespace rp::sim;
using rp::sim::test::task;

TEST_CASE("TaskGraph: ids are sequential and edges are recorded both ways", "[simulator][task_graph]") {
  TaskGraph g;
  const TaskId a = g.add(task(0, 1));
  const TaskId b = g.add(task(1, 2), {a});
  const TaskId c = g.add(task(0, 3), {a, b});
  REQUIRE(a == 0);
  REQUIRE(b == 1);
  REQUIRE(c == 2);
  REQUIRE(g.size() == 3);
  CHECK(g.num_preds(a) == 0);
  CHECK(g.num_preds(c) == 2);
  CHECK(g.successors(a) == std::vector<TaskId>{1, 2});
  CHECK(g.task(b).unit == 1);
  g.depend(c, a);  // a repeated edge is counted twice
  CHECK(g.num_preds(c) == 3);
  // Successors in the order their edges were added: add(b), add(c), then depend(c, a) once more.
  CHECK(g.successors(a) == std::vector<TaskId>{1, 2, 2});
  CHECK(g.edges().size() == 4);  // a->b, a->c, b->c, a->c
  g.clear();
  CHECK(g.size() == 0);
}

TEST_CASE("TaskGraph: edges to tasks that do not exist yet are refused", "[simulator][task_graph][errors]") {
  TaskGraph g;
  g.add(task(0, 1));
  CHECK_THROWS_AS(g.add(task(0, 1), {1}), rp::SimulationError);  // task 1 does not exist yet: would allow a cycle
  CHECK_THROWS_AS(g.add(task(0, 1), {-1}), rp::SimulationError);
  CHECK(g.size() == 1);  // the failed adds left nothing behind
  g.add(task(0, 1), {0});
  CHECK_THROWS_AS(g.depend(0, 1), rp::SimulationError);  // backwards edge
  CHECK_THROWS_AS(g.depend(1, 1), rp::SimulationError);  // self edge
  CHECK_THROWS_AS(g.depend(5, 0), rp::SimulationError);
  CHECK_THROWS_AS(g.task(2), rp::SimulationError);
  CHECK(g.num_preds(1) == 1);
}

TEST_CASE("time helpers convert at picosecond resolution", "[simulator][time]") {
  CHECK(ps_from_seconds(1e-9) == 1000);  // 1 ns
  CHECK(ps_from_seconds(1.0) == 1'000'000'000'000);
  CHECK(ps_from_seconds(2.4e-12) == 2);  // rounded to nearest
  CHECK(ps_from_seconds(2.6e-12) == 3);
  CHECK(seconds(1'500'000'000'000) == Approx(1.5));
  CHECK(ms(2'000'000'000) == Approx(2.0));  // 2e9 ps = 2 ms
}
