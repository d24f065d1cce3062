// The latency oracle: memoized per canonical architecture, infeasible candidates as results, not throws.
#include <catch2/catch.hpp>

#include "accel_models/evaluate.h"
#include "nas/reward/latency_oracle.h"
#include "nas/space/arch_network.h"
#include "traces/zoo/zoo.h"

using namespace rp::nas;

TEST_CASE("the oracle gives B0's zoo latency for the base architecture and memoizes it", "[oracle]") {
  const SearchSpace& s = search_space("efficientnet");
  const auto acc = rp::accel::AcceleratorConfig::load("tpuv3").build();
  LatencyOracle oracle(s, acc, 224, 128);
  const Latency& a = oracle(base_choices(s));
  REQUIRE(a.ok);
  // The same network through the zoo and the evaluation API directly (bf16, TPUv3's precision).
  rp::traces::BuildOptions o;
  o.batch = 128;
  o.dtype = acc->info().precision;
  const rp::accel::Evaluation ref = rp::accel::evaluate(rp::traces::build_model("efficientnet-b0", o), *acc);
  REQUIRE(ref.ok);
  CHECK(a.latency_ms == ref.result.latency_ms);
  CHECK(a.macs == 385814752);  // the zoo test's B0 count per image (0.386 G, paper 0.39 G)
  CHECK(a.params == 5288548);
  oracle(base_choices(s));
  CHECK(oracle.simulations() == 1);
}

TEST_CASE("an infeasible candidate is a result with a reason", "[oracle]") {
  // 0.01 MiB of vector memory cannot hold one output row of the 32-channel stem at 112 x 112.
  const SearchSpace& s = search_space("efficientnet-x");
  const auto acc = rp::accel::AcceleratorConfig::load("tpuv3").with_text({"vector_memory.capacity_mib=0.01"}).build();
  LatencyOracle oracle(s, acc, 224, 128);
  const Latency& l = oracle(base_choices(s));
  CHECK_FALSE(l.ok);
  CHECK(l.reason.find("does not fit") != std::string::npos);
  CHECK(l.latency_ms == 0);
}
