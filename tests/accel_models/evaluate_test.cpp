// The evaluation API for search: infeasible candidates are results, never exceptions.
#include <catch2/catch.hpp>

#include "accel_models/evaluate.h"
#include "accel_models/simulate.h"
#include "traces/zoo/zoo.h"

using namespace rp;

namespace {

traces::Network mnasnet(int64_t batch) {
  traces::BuildOptions o;
  o.batch = batch;
  o.dtype = traces::DType::kBF16;
  return traces::build_model("mnasnet-a1", o);
}

}  // namespace

TEST_CASE("evaluate: a feasible candidate gives the simulate() result", "[evaluate]") {
  const auto acc = accel::AcceleratorConfig::load("tpuv3").build();
  const accel::Evaluation e = accel::evaluate(mnasnet(8), *acc);
  REQUIRE(e.ok);
  CHECK(e.reason.empty());
  CHECK(e.result.latency_ms == accel::simulate(mnasnet(8), *acc).latency_ms);
  CHECK(accel::check(mnasnet(8), *acc).ok);
}

TEST_CASE("evaluate: a layer that does not fit is an infeasible result with the reason", "[evaluate]") {
  // 0.01 MiB of vector memory cannot hold one output row of MnasNet's first layers (see tpu_lowering.h).
  const auto tiny = accel::AcceleratorConfig::load("tpuv3").with({{"vector_memory.capacity_mib", 0.01}}).build();
  const accel::Evaluation e = accel::evaluate(mnasnet(8), *tiny);
  CHECK_FALSE(e.ok);
  CHECK_THAT(e.reason, Catch::Contains("does not fit in vector memory"));
  const accel::Feasibility f = accel::check(mnasnet(8), *tiny);
  CHECK_FALSE(f.ok);
  CHECK(f.reason == e.reason);
}

TEST_CASE("evaluate: a candidate network that cannot be built is an infeasible result", "[evaluate]") {
  const auto acc = accel::AcceleratorConfig::load("v100").build();
  // A residual add of a 8x8x16 and a 8x8x32 tensor: the network IR rejects the shapes (UsageError).
  const accel::Evaluation e = accel::evaluate(
      [] {
        traces::Network n("bad", traces::DType::kF16);
        const int a = n.add_input("a", {4, 8, 8, 16});
        const int b = n.add_input("b", {4, 8, 8, 32});
        n.add_add("sum", a, b);
        return n;
      },
      *acc);
  CHECK_FALSE(e.ok);
  CHECK_THAT(e.reason, Catch::StartsWith("bad network: "));
}
