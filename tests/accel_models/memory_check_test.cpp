// The HBM capacity check (accel_models/memory_check.h): a network just under and just over a capacity set as a typed
// override, the reason line, and the per-core rule of TPU chips. Expected values derived by hand in the comments.
#include <catch2/catch.hpp>

#include "accel_models/evaluate.h"
#include "accel_models/memory_check.h"
#include "accel_models/simulate.h"
#include "simulator/error.h"

using namespace rp;

namespace {

constexpr double kGiB = 1073741824.0;  // capacity_gib's scale; bytes / 2^30 is exact in binary floating point

// x (batch x 100) -> dense 50 -> relu -> dense 10, no biases, 2-byte elements.
// Weights: (100 x 50 + 50 x 10) x 2 = 11,000 B. Activations peak at the first dense (traces/network/memory.h):
// x + d1 = batch x (100 + 50) x 2 = 300 B per image.
traces::Network chain(int64_t batch, traces::DType dtype) {
  traces::Network n("chain", dtype);
  const int x = n.add_input("x", {batch, 1, 1, 100});
  const int d1 = n.add_dense("d1", x, 50, false);
  const int r = n.add_activation("r", d1, traces::Act::kReLU);
  n.add_dense("d2", r, 10, false);
  return n;
}

std::shared_ptr<const accel::IAccelerator> with_capacity(const std::string& name, double bytes,
                                                         std::vector<accel::Override> more = {}) {
  more.push_back({"hbm.capacity_gib", bytes / kGiB});
  return accel::AcceleratorConfig::load(name).with(more).build();
}

}  // namespace

TEST_CASE("capacity: a network just under the HBM capacity simulates, just over it is infeasible", "[capacity]") {
  // Batch 1 on a V100 (one memory): needs 11,000 + 300 = 11,300 B.
  const traces::Network net = chain(1, traces::DType::kF16);
  const auto under = with_capacity("v100", 11400);
  const accel::Evaluation ok = accel::evaluate(net, *under);
  REQUIRE(ok.ok);
  CHECK(ok.result.weight_bytes == 11000);
  CHECK(ok.result.activation_bytes == 300);
  CHECK(ok.result.kv_cache_bytes == 0);
  CHECK(ok.result.hbm_capacity == 11400);
  CHECK(ok.result.hbm_capacity_fraction == Approx(11300.0 / 11400.0));
  CHECK(accel::check(net, *under).ok);

  const auto over = with_capacity("v100", 11200);
  const accel::Evaluation e = accel::evaluate(net, *over);
  CHECK_FALSE(e.ok);
  // In the capacity's unit (KiB): 11300 / 1024 = 11.04, 11200 / 1024 = 10.94, 11000 / 1024 = 10.74, 300 / 1024 = 0.29.
  const std::string reason = "needs 11.0 KiB of 10.9 KiB HBM: weights 10.7 KiB, activations 0.3 KiB";
  CHECK(e.reason == reason);
  CHECK(accel::check(net, *over).reason == reason);
  CHECK_THROWS_WITH(accel::simulate(net, *over), reason);  // never a latency
}

TEST_CASE("capacity: TPU cores each hold the weights and their share of the batch in their private HBM", "[capacity]") {
  // Batch 4 split over tpuv3's 2 cores: each holds the weights (11,000 B) and 2 of 4 images' activations
  // (2 x 300 = 600 B): 11,600 B in the core's half of the chip.
  const traces::Network net = chain(4, traces::DType::kBF16);
  CHECK(accel::evaluate(net, *with_capacity("tpuv3", 2 * 11700)).ok);  // 11,700 B per core
  const accel::Evaluation e = accel::evaluate(net, *with_capacity("tpuv3", 2 * 11500));
  CHECK_FALSE(e.ok);
  // 11600 / 1024 = 11.33, 11500 / 1024 = 11.23, 600 / 1024 = 0.59.
  CHECK(e.reason ==
        "needs 11.3 KiB of 11.2 KiB HBM per core (2 cores with private HBM, each holding the weights and 2 of the "
        "batch of 4): weights 10.7 KiB, activations 0.6 KiB");

  // The batch not split: all 4 images on one core: 11,000 + 4 x 300 = 12,200 B > 11,700 B.
  const auto one_core = with_capacity("tpuv3", 2 * 11700, {{"lowering.split_batch_across_cores", false}});
  const accel::Evaluation whole = accel::evaluate(net, *one_core);
  CHECK_FALSE(whole.ok);
  // 12200 / 1024 = 11.91, 11700 / 1024 = 11.43, 1200 / 1024 = 1.17.
  CHECK(whole.reason ==
        "needs 11.9 KiB of 11.4 KiB HBM per core (the whole batch on one of 2 cores with private HBM): weights "
        "10.7 KiB, activations 1.2 KiB");
}

TEST_CASE("capacity: every built-in accelerator carries its published HBM capacity", "[capacity]") {
  // Jouppi et al. 2020 (TPUv2 16 GiB, TPUv3 32 GiB per chip), 2023 (TPUv4 32 GiB); NVIDIA datasheets (V100 SXM2
  // 16 GB, A100 SXM4 40 GB, H100 SXM5 80 GB: binary gigabytes of HBM).
  const std::vector<std::pair<std::string, double>> expected = {{"tpuv2", 16}, {"tpuv3", 32}, {"tpuv4", 32},
                                                                {"v100", 16},  {"a100", 40},  {"h100", 80}};
  for (const auto& [name, gib] : expected) {
    INFO(name);
    CHECK(accel::AcceleratorConfig::load(name).build()->info().memory.hbm_capacity == gib * kGiB);
  }
  CHECK(accel::AcceleratorConfig::load("tpuv3").build()->info().memory.memories == 2);
  CHECK(accel::AcceleratorConfig::load("v100").build()->info().memory.memories == 1);
}

TEST_CASE("capacity: bytes are written in binary units", "[capacity]") {
  CHECK(accel::bytes_text(512) == "512 B");
  CHECK(accel::bytes_text(16 * kGiB) == "16 GiB");
  CHECK(accel::bytes_text(1.5 * 1024 * 1024) == "1.5 MiB");
}
