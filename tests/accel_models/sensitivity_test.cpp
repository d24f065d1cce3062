// Sensitivity analysis (accel_models/sensitivity.h): elasticities known by hand, the step rules, the count of
// simulations and the errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "accel_models/evaluate.h"
#include "accel_models/sensitivity.h"
#include "simulator/error.h"
#include "simulator/result_schema.h"

using namespace rp;
using accel::AcceleratorConfig;

namespace {

// One ReLU over 8 x 56 x 56 x 256 bf16 elements: read and write through HBM, one vector op per element.
traces::Network streaming() {
  traces::Network n("streaming-relu", traces::DType::kBF16);
  const int x = n.add_input("x", {8, 56, 56, 256});
  n.add_activation("relu", x, traces::Act::kReLU);
  return n;
}

// TPUv3 with every duration that is not an HBM transfer set to zero: the ReLU costs 0 vector ops per element, a
// vector pass 0 cycles, a fusion dispatch 0 ns and a DMA transfer's setup 0 ns. What is left of the run is HBM
// time, and every HBM duration is proportional to 1 / bandwidth (a channel's share takes (bursts x access / ch_bw +
// rows x row_miss) / (1 - refresh), with ch_bw = bandwidth / channels and row_miss = row_bytes / ch_bw x (1 / eff -
// 1): docs/tpu-model.md, hbm/hbm_params.cpp) and to 1 / (1 - refresh_fraction). Scaling every duration by one
// factor scales the schedule, so latency = C / (bandwidth x (1 - refresh)) for a constant C.
AcceleratorConfig hbm_only() {
  return AcceleratorConfig::load("tpuv3").with({{"vector_unit.cost_per_element.relu", 0.0},
                                                {"vector_unit.pass_overhead_cycles", 0.0},
                                                {"stack.dispatch_overhead_ns", 0.0},
                                                {"dma.setup_ns", 0.0}});
}

const accel::KeySensitivity& row(const accel::Sensitivity& s, const std::string& key) {
  for (const auto& r : s.rows) {
    if (r.key == key) return r;
  }
  FAIL("no row for " << key);
  return s.rows.front();
}

double latency_e(const accel::Probe& p) {
  REQUIRE(p.evaluated);
  REQUIRE(p.elasticity.at(0).has_value());
  return *p.elasticity.at(0);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("sensitivity: latency of an HBM-only run has elasticity -1 to bandwidth, 0 to what it cannot feel",
          "[sensitivity]") {
  accel::SensitivityOptions o;
  o.keys = {"hbm.capacity_gib", "hbm.bandwidth_gbps", "clock_mhz", "hbm.refresh_fraction"};
  int calls = 0;
  o.on_simulation = [&](const std::string&, double) { ++calls; };
  const accel::Sensitivity s = accel::sensitivity(hbm_only(), streaming(), o);
  REQUIRE(s.targets.at(0).name == std::string("latency"));
  CHECK(s.bottleneck == "hbm");

  // latency = C / bandwidth: ln(y1 / y0) / ln(x1 / x0) = -1 in both directions (to the picosecond rounding of each
  // transfer: < 1e-6 of a 0.1 ms run).
  const auto& bw = row(s, "hbm.bandwidth_gbps");
  CHECK(bw.base == 900);
  CHECK(bw.down.value == Approx(810));
  CHECK(bw.up.value == Approx(990));
  CHECK(latency_e(bw.down) == Approx(-1).margin(1e-4));
  CHECK(latency_e(bw.up) == Approx(-1).margin(1e-4));
  CHECK(bw.binding_unit == "hbm");
  CHECK(s.rows.front().key == "hbm.bandwidth_gbps");  // |-1| ranks first

  // latency = C' / (1 - r): elasticity = ln((1 - r0) / (1 - r1)) / ln(r1 / r0), r0 = 0.07 (tpuv3.yaml).
  const auto& rf = row(s, "hbm.refresh_fraction");
  const double r0 = 0.07, up = 0.07 * 1.1, down = 0.07 * 0.9;
  CHECK(latency_e(rf.up) == Approx(std::log((1 - r0) / (1 - up)) / std::log(1.1)).margin(1e-4));      // 0.0793
  CHECK(latency_e(rf.down) == Approx(std::log((1 - r0) / (1 - down)) / std::log(0.9)).margin(1e-4));  // 0.0712

  // Capacity only decides feasibility, and no duration left in this run is counted in clock cycles: exactly 0, and
  // their binding unit is the base run's bottleneck (no unit's busy time changes).
  for (const std::string key : {"hbm.capacity_gib", "clock_mhz"}) {
    const auto& r = row(s, key);
    INFO(key);
    CHECK(latency_e(r.down) == 0.0);
    CHECK(latency_e(r.up) == 0.0);
    CHECK(r.binding_unit == s.bottleneck);
    CHECK(r.score == 0.0);
  }

  // One simulation for the base and one per key and direction: 1 + 2 x 4.
  CHECK(calls == 1 + 2 * 4);
  CHECK(s.simulations == calls);
}

TEST_CASE("sensitivity: integer keys round, steps out of bounds and zero bases are reported, not simulated",
          "[sensitivity]") {
  const AcceleratorConfig base = hbm_only().with({{"matrix_unit.rows", 4096.0}});
  accel::SensitivityOptions o;
  o.keys = {"cores", "matrix_unit.rows", "matrix_unit.macs_per_cell_per_cycle.fp32", "hbm.channels"};
  std::vector<std::string> simulated;
  o.on_simulation = [&](const std::string& key, double) { simulated.push_back(key); };
  const accel::Sensitivity s = accel::sensitivity(base, streaming(), o);

  // cores 2: 2 x 0.9 = 1.8 and 2 x 1.1 = 2.2 both round to 2, so the step is one core: 1 and 3. The TPU splits its
  // 32 HBM channels evenly over the cores (tpu_config.cpp's rule), so 3 cores is a config the rules refuse.
  const auto& cores = row(s, "cores");
  CHECK(cores.down.value == 1);
  CHECK(cores.up.value == 3);
  CHECK(cores.down.evaluated);
  CHECK_FALSE(cores.up.evaluated);
  CHECK_THAT(cores.up.reason, Catch::StartsWith("config refused: ") && Catch::Contains("channels"));
  // hbm.channels 32: 28.8 -> 29, 35.2 -> 35; odd counts do not split over 2 cores: both refused, with the reason.
  const auto& ch = row(s, "hbm.channels");
  CHECK(ch.down.value == 29);
  CHECK(ch.up.value == 35);
  CHECK_THAT(ch.down.reason, Catch::StartsWith("config refused: ") && Catch::Contains("channels"));
  CHECK_FALSE(ch.up.evaluated);

  // rows 4096 is the declared maximum: 4096 x 1.1 = 4505.6 -> 4506 is out of bounds; down (3686) is evaluated.
  const auto& rows = row(s, "matrix_unit.rows");
  CHECK(rows.down.evaluated);
  CHECK(rows.down.value == 3686);
  CHECK_FALSE(rows.up.evaluated);
  CHECK(rows.up.value == 4506);
  CHECK_THAT(rows.up.reason, Catch::Contains("4506 is out of bounds") && Catch::Contains("4096"));

  // tpuv3 has no fp32 rate (0): no relative step, both directions reported.
  const auto& fp32 = row(s, "matrix_unit.macs_per_cell_per_cycle.fp32");
  CHECK(fp32.base == 0);
  CHECK(fp32.down.reason == "base value is 0: no relative step");
  CHECK(fp32.up.reason == "base value is 0: no relative step");
  CHECK(fp32.score == -1);
  CHECK(ch.score == -1);
  // Ranked: the two keys with an evaluated direction first, the two with none last.
  REQUIRE(s.rows.size() == 4);
  CHECK(s.rows[0].score >= 0);
  CHECK(s.rows[1].score >= 0);
  CHECK(s.rows[2].score == -1);
  CHECK(s.rows[3].score == -1);

  // Simulated: the base, 1 core and 3686 rows: 3; never a value the bounds or the rules refused, nor a zero base.
  CHECK(simulated == std::vector<std::string>{"", "cores", "matrix_unit.rows"});
  CHECK(s.simulations == 3);
}

TEST_CASE("sensitivity: every numeric hardware key, and the targets the result schema has", "[sensitivity]") {
  const AcceleratorConfig tpu = AcceleratorConfig::load("tpuv3");
  const auto keys = accel::numeric_keys(tpu);
  auto has = [&](const std::string& k) {
    return std::any_of(keys.begin(), keys.end(), [&](const accel::ParamInfo& p) { return p.key == k; });
  };
  CHECK(has("hbm.bandwidth_gbps"));
  CHECK(has("matrix_unit.rows"));
  CHECK_FALSE(has("default_batch"));                   // the batch comes with the network
  CHECK_FALSE(has("stack.lowering.fold_batch_norm"));  // a switch
  CHECK_FALSE(has("precision"));                       // a word
  // A target is modelled exactly when sim::result_fields() has its field; the others are named, not zeros.
  const accel::Sensitivity s = accel::sensitivity(hbm_only(), streaming(), {0.1, {"clock_mhz"}, nullptr});
  CHECK(s.targets.size() + s.not_modelled.size() == accel::sensitivity_targets().size());
  for (const auto& t : accel::sensitivity_targets()) {
    const bool in_schema = std::any_of(sim::result_fields().begin(), sim::result_fields().end(),
                                       [&](const auto& f) { return std::string(f.name) == t.field; });
    const bool modelled =
        std::any_of(s.targets.begin(), s.targets.end(), [&](const auto& m) { return std::string(m.field) == t.field; });
    CHECK(in_schema == modelled);
  }
  CHECK(s.base.size() == s.targets.size());
}

TEST_CASE("sensitivity: a bad step or key is one UsageError", "[sensitivity]") {
  const AcceleratorConfig tpu = hbm_only();
  auto run = [&](double step, std::vector<std::string> keys) {
    return error_of([&] { accel::sensitivity(tpu, streaming(), {step, keys, nullptr}); });
  };
  CHECK_THAT(run(0, {}), Catch::Contains("step must be in (0, 1)") && Catch::Contains("got 0"));
  CHECK_THAT(run(1, {}), Catch::Contains("got 1"));
  CHECK_THAT(run(std::nan(""), {}), Catch::Contains("step must be in (0, 1)"));
  CHECK_THAT(run(0.1, {"hbm.bandwith_gbps"}), Catch::Contains("hbm.bandwidth_gbps"));
  CHECK_THAT(run(0.1, {"stack.lowering.fold_batch_norm"}), Catch::Contains("a switch, not a number"));
  CHECK_THAT(run(0.1, {"default_batch"}), Catch::Contains("no hardware key"));
}

TEST_CASE("sensitivity: the energy: and area: keys only when named; energy elasticities as the formulas say",
          "[sensitivity]") {
  const AcceleratorConfig tpu = hbm_only();
  const auto keys = accel::numeric_keys(tpu);
  for (const auto& p : keys) {  // cost-model coefficients and budgets are no design choice (sensitivity.h)
    CHECK(p.key.rfind("energy.", 0) != 0);
    CHECK(p.key.rfind("area.", 0) != 0);
  }
  // Named, they are evaluated. Energy per inference E = E_hbm + E_rest, with E_hbm = 8 x Q x e_bit linear in the
  // HBM energy per bit e_bit and nothing else depending on it (docs/energy.md), so stepping e_bit by (1 +- s):
  //   E1 / E0 = 1 +- s x E_hbm / E0,  elasticity = ln(1 +- s x E_hbm / E0) / ln(1 +- s);
  // and latency does not move (elasticity exactly 0). E_hbm / E0 from the base run's own breakdown.
  const accel::Evaluation base = accel::evaluate(streaming(), *tpu.build());
  REQUIRE(base.ok);
  const double share = base.result.energy_hbm_j / base.result.energy_j;
  REQUIRE(share > 0.01);
  const accel::Sensitivity s = accel::sensitivity(tpu, streaming(), {0.1, {"energy.hbm_pj_per_bit"}, nullptr});
  REQUIRE(s.targets.size() == 2);  // latency and energy per inference
  const auto& r = row(s, "energy.hbm_pj_per_bit");
  CHECK(*r.down.elasticity.at(0) == 0.0);
  CHECK(*r.up.elasticity.at(0) == 0.0);
  CHECK(*r.down.elasticity.at(1) == Approx(std::log(1 - 0.1 * share) / std::log(0.9)).epsilon(1e-9));
  CHECK(*r.up.elasticity.at(1) == Approx(std::log(1 + 0.1 * share) / std::log(1.1)).epsilon(1e-9));
}
