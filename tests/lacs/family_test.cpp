// Generated families (lacs/family.h): monotone in latency and FLOPs, and the YAMLs read back.
#include <catch2/catch.hpp>

#include <cmath>

#include "lacs/family.h"

using namespace rp;

namespace {

lacs::LacsExperiment experiment(const std::string& base, const std::string& accel) {
  lacs::LacsExperiment e;
  e.base = base;
  e.accelerator = accel;
  e.batch = 128;
  e.objective = lacs::Objective::kLatencyAware;
  return e;
}

}  // namespace

TEST_CASE("families of the paper's coefficients are monotone in latency, MACs and surrogate accuracy") {
  struct Case {
    std::string base, accel;
    lacs::Triplet t;
  };
  // Paper Table 2: accuracy-only (1.2, 1.1, 1.15); LACS on TPU (1.25, 1.17, 1.09), on GPU (1.28, 1.17, 1.07).
  for (const Case& c : {Case{"efficientnet-b0", "tpuv3", {1.2, 1.1, 1.15}},
                        Case{"efficientnet-x-b0", "tpuv3", {1.25, 1.17, 1.09}},
                        Case{"efficientnet-x-b0-relu", "v100", {1.28, 1.17, 1.07}}}) {
    const lacs::LacsExperiment e = experiment(c.base, c.accel);
    lacs::PointEvaluator eval(e, nullptr);
    const auto fam = lacs::make_family(eval, "lacs", c.t, 7, "t");
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

TEST_CASE("family YAMLs build the members they describe") {
  const lacs::LacsExperiment e = experiment("efficientnet-x-b0", "tpuv3");
  lacs::PointEvaluator eval(e, nullptr);
  auto fam = lacs::make_family(eval, "lacs", {1.25, 1.17, 1.09}, 3, "t");
  lacs::write_family_yamls(eval.base(), fam, std::string(RP_BINARY_DIR) + "/fam", "test");
  for (const auto& m : fam) {
    traces::BuildOptions o;
    const traces::Network n = traces::build_model(m.yaml_path, o);
    CHECK(n.macs() == m.macs);
    CHECK(n.params() == m.params);
  }
}
