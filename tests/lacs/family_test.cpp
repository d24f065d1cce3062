// Generated families (lacs/family.h): monotone in latency and FLOPs, their networks read back from the network
// files the kind writes, members outside the limits or the surrogate's range infeasible with the reason, and
// members outside its fit rows' range marked extrapolated.
#include <catch2/catch.hpp>

#include <cmath>
#include <csignal>
#include <fstream>

#include "lacs/family.h"
#include "simulator/error.h"

using namespace rp;

namespace {

// A latency-aware problem on `base` with the surrogate, and the accelerator's evaluator.
struct Setup {
  Setup(const std::string& base, const std::string& accel, int64_t batch = 128)
      : evaluator(accel::AcceleratorConfig::load(accel).build()) {
    problem.base = traces::mbconv_spec(base);
    problem.batch = batch;
  }
  accel::Evaluator evaluator;
  lacs::Problem problem;
};

}  // namespace

TEST_CASE("families of the paper's coefficients are monotone in latency, MACs and surrogate accuracy") {
  struct Case {
    std::string base, accel;
    lacs::Triplet t;
  };
  // Paper Table 2: accuracy-only (1.2, 1.1, 1.15); LACS on TPU (1.25, 1.17, 1.09), on GPU (1.28, 1.17, 1.07).
  for (const Case& c :
       {Case{"efficientnet-b0", "tpuv3", {1.2, 1.1, 1.15}}, Case{"efficientnet-x-b0", "tpuv3", {1.25, 1.17, 1.09}},
        Case{"efficientnet-x-b0-relu", "v100", {1.28, 1.17, 1.07}}}) {
    Setup s(c.base, c.accel);
    lacs::PointEvaluator eval(s.problem, s.evaluator);
    const auto fam = lacs::make_family(eval, "lacs", c.t, 7);
    REQUIRE(fam.size() == 8u);
    for (size_t i = 1; i < fam.size(); ++i) {
      INFO(c.base << " on " << c.accel << " phi " << i);
      REQUIRE(fam[i].feasible);
      CHECK(fam[i].latency_ms > fam[i - 1].latency_ms);
      CHECK(fam[i].macs > fam[i - 1].macs);
      CHECK(fam[i].params > fam[i - 1].params);
      CHECK(fam[i].accuracy > fam[i - 1].accuracy);
      CHECK(fam[i].layers >= fam[i - 1].layers);
    }
    // phi 0 is the base itself: 16 MBConv blocks at 224.
    CHECK(fam[0].layers == 16);
    CHECK(fam[0].resolution == 224);
    CHECK(fam[0].latency_ms == Approx(eval.base_latency_ms()));
  }
}

TEST_CASE("a member's network file builds the member it describes") {
  Setup s("efficientnet-x-b0", "tpuv3");
  lacs::PointEvaluator eval(s.problem, s.evaluator);
  const auto fam = lacs::make_family(eval, "lacs", {1.25, 1.17, 1.09}, 3);
  for (const auto& m : fam) {
    REQUIRE(lacs::buildable(s.problem.base, m));
    const std::string path = std::string(RP_BINARY_DIR) + "/fam-phi" + std::to_string(m.phi) + ".yaml";
    {
      std::ofstream f(path);
      f << lacs::network_yaml(lacs::member_spec(s.problem.base, m, "t-lacs-phi" + std::to_string(m.phi)), {"test"});
    }
    const traces::Network n = traces::build_model(path, traces::BuildOptions{});
    CHECK(n.name() == "t-lacs-phi" + std::to_string(m.phi));
    CHECK(n.macs() == m.macs);
    CHECK(n.params() == m.params);
  }
}

TEST_CASE("members past the resolution limit are infeasible with it and have no network file") {
  Setup s("efficientnet-b0", "tpuv3", 8);
  lacs::PointEvaluator eval(s.problem, s.evaluator);
  // gamma 2: 224 x 2^k = 224, 448, ..., 3584 (phi 4), 7168 (phi 5, past 4096), 14336 (phi 6).
  const auto fam = lacs::make_family(eval, "lacs", {1, 1, 2}, 6);
  REQUIRE(fam.size() == 7u);
  for (int k = 0; k <= 4; ++k) {
    CHECK(fam[static_cast<size_t>(k)].resolution == 224 << k);
    CHECK(fam[static_cast<size_t>(k)].feasible);
  }
  for (int k : {5, 6}) {
    const lacs::Member& m = fam[static_cast<size_t>(k)];
    INFO("phi " << k);
    CHECK_FALSE(m.feasible);
    CHECK(m.status == "scaled resolution " + std::to_string(224 << k) + " outside [8, 4096]");
    CHECK(m.resolution == 0);
    CHECK((std::isnan(m.latency_ms) && std::isnan(m.accuracy) && m.macs == 0 && m.params == 0));
    CHECK_FALSE(lacs::buildable(s.problem.base, m));
  }
}

TEST_CASE("a member the surrogate puts below 0% is infeasible, never ranked") {
  Setup s("efficientnet-b0", "tpuv3", 8);
  // Halving the width: the surrogate's width curve (lacs/surrogate.yaml: slope 6.543980, curvature 0.985) gives
  // 6.54398 x (1 - 0.5^-0.985) / 0.985 = 6.54398 x (1 - 1.97932) / 0.985 = -6.51 points, so from base_top1 = 5 the
  // estimate is below 0 (width 0.5 is inside the fit range: MobileNets and MnasNet rows go down to 0.25).
  s.problem.base_top1 = 5;
  lacs::PointEvaluator eval(s.problem, s.evaluator);
  const auto fam = lacs::make_family(eval, "lacs", {1, 0.5, 1}, 1);
  CHECK(fam[0].feasible);
  CHECK(fam[0].accuracy == Approx(5));
  CHECK_FALSE(fam[1].feasible);
  CHECK_THAT(fam[1].status, Catch::StartsWith("the surrogate is outside its range: top-1 -"));
  CHECK(std::isnan(fam[1].accuracy));
  CHECK(fam[1].latency_ms > 0);  // simulated: only the accuracy is missing
}

TEST_CASE("a family polls the problem's StopCheck before each member, so an interrupt stops it between simulations") {
  Setup s("efficientnet-b0", "tpuv3", 8);
  int polls = 0;
  s.problem.stop = [&] {
    if (++polls == 3) throw Interrupted(SIGINT);
  };
  lacs::PointEvaluator eval(s.problem, s.evaluator);
  CHECK_THROWS_AS(lacs::make_family(eval, "lacs", {1.2, 1.1, 1.15}, 7), Interrupted);
  CHECK(polls == 3);                      // members 0 and 1 were made, member 2 was not started
  CHECK(s.evaluator.simulations() == 2);  // phi 0 and phi 1: two networks simulated
  polls = -100;
  CHECK(lacs::make_family(eval, "lacs", {1.2, 1.1, 1.15}, 7).size() == 8u);
  CHECK(polls == -92);  // once per member
}

TEST_CASE("members outside the surrogate's fit range are marked extrapolated, and such search points are infeasible") {
  Setup s("efficientnet-b0", "tpuv3", 8);
  lacs::PointEvaluator eval(s.problem, s.evaluator);
  // Resolution only, gamma 1.15: 224 x 1.15^4 = 391.8 -> 392 (x1.75, inside the fit rows' x2); 224 x 1.15^5 =
  // 450.5 -> 452 (x2.018), 1.15^6 -> 520 (x2.32), 1.15^7 -> 596 (x2.66): outside.
  const auto fam = lacs::make_family(eval, "lacs", {1, 1, 1.15}, 7);
  REQUIRE(fam.size() == 8u);
  for (const lacs::Member& m : fam) {
    INFO("phi " << m.phi << ", resolution " << m.resolution);
    CHECK(m.feasible);  // a member keeps its (extrapolated) accuracy
    CHECK(m.extrapolated == (m.phi >= 5));
    CHECK(m.extrapolation.empty() == !m.extrapolated);
  }
  CHECK(fam[4].resolution == 392);
  CHECK(fam[5].resolution == 452);
  CHECK_THAT(fam[5].extrapolation, Catch::StartsWith("outside the surrogate's fit range: resolution x2.01"));
  // The search at phi 5: gamma 1.15 (452 px) is infeasible with that reason, gamma 1.14 (1.14^5 = 1.9254: 431.3 ->
  // 432 px, x1.93) is ranked.
  s.problem.search_phi = 5;
  lacs::PointEvaluator at5(s.problem, s.evaluator);
  const lacs::PointResult out = at5({1, 1, 1.15}, 0), in = at5({1, 1, 1.14}, 0);
  CHECK_FALSE(out.feasible);
  CHECK_THAT(out.status, Catch::StartsWith("outside the surrogate's fit range: resolution x2.01"));
  CHECK((std::isnan(out.accuracy) && out.reward == 0));
  CHECK(in.feasible);
  CHECK(in.resolution == 432);
}
