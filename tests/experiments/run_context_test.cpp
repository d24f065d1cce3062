// run::RunContext (experiments/run/run_context.h): --jobs forks no more workers than the plan's units of work.
#include <catch2/catch.hpp>

#include <sstream>

#include "experiments/run/run_context.h"
#include "tests/experiments/scratch_dir.h"

using namespace rp;

namespace {

// The workers begin() starts for `--jobs jobs` and a plan of `units` (-1: not known).
int workers_for(int jobs, int64_t units) {
  test::Scratch dir("context");
  run::RunRequest request;
  request.jobs = jobs;
  run::RunPlan plan;
  plan.kind = "sweep";
  plan.output = dir.file("out.h5");
  plan.units = units;
  std::ostringstream log;
  run::RunContext ctx(request, log);
  REQUIRE(ctx.begin(plan, [](const std::string& r) { return r; }));
  return ctx.pool().workers();
}

}  // namespace

TEST_CASE("RunContext: --jobs forks at most one worker per unit of work, and none for one unit") {
  CHECK(workers_for(8, 1) == 1);    // one point: the serial pool, in this process (1 worker), nothing forked
  CHECK(workers_for(8, 3) == 3);    // three points: three workers, not eight
  CHECK(workers_for(2, 256) == 2);  // more points than --jobs: --jobs
  CHECK(workers_for(3, -1) == 3);   // units not known: --jobs as asked
  CHECK(workers_for(1, 0) == 1);    // nothing to do: serial
}
