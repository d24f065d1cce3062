// GPU unit models: expected times derived by hand from each unit's documented formula.
#include <catch2/catch.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/gpu/l2_cache.h"
#include "accel_models/gpu/sm_array.h"
#include "simulator/error.h"

using namespace rp;
using namespace rp::accel;

namespace {

// 80 SMs x 8 tensor cores x 64 FMA = 512 FMA per clock per SM at 1 GHz; 100-cycle overhead per wave.
SmParams sms(std::vector<TensorCoreTile> tiles) {
  SmParams p;
  p.sms = 80;
  p.clock = 1e9;
  p.tensor_cores_per_sm = 8;
  p.fma_per_tensor_core_clock = 64;
  p.k_tile = 32;
  p.block_overhead_cycles = 100;
  p.tiles = std::move(tiles);
  p.cuda_cores_per_sm = 64;
  p.cuda_ops_per_core_clock = 2;
  p.cuda_efficiency = 0.5;  // 80 x 64 x 2 x 0.5 = 5120 element ops per cycle
  return p;
}

const TensorCoreTile kMedium{"medium", 128, 128, 1, 1.0};
const TensorCoreTile kTiny{"tiny", 64, 64, 4, 0.5};

sim::Task kernel(int64_t m, int64_t k, int64_t n, double ops = 0, int parts = 1) {
  sim::Task t;
  t.m = m;
  t.k = k;
  t.n = n;
  t.ops = ops;
  t.aux = parts;
  return t;
}

std::string error_of(const std::vector<std::string>& sets) {
  try {
    make_accelerator("v100", sets);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("SM array: a GEMM kernel with a partial last wave", "[gpu][units][sm]") {
  SmArray a("sm", sms({kMedium}));
  // M = 45 x 128 = 5760, N = 2 x 128, K = 64: blocks = 45 x 2 = 90 CTAs on 80 SMs, 1 CTA per SM:
  // waves = ceil(90 / 80) = 2; one CTA's main loop = 128 x 128 x 64 / 512 = 2048 cycles;
  // cycles = 2 waves x 100 + ceil(90 / 80) = 2 main loops x 2048 = 4296 -> 4.296 us at 1 GHz.
  const GemmPlan g = a.plan(5760, 64, 256);
  CHECK(g.blocks == 90);
  CHECK(g.waves == 2);
  CHECK(g.cycles == Approx(4296));
  CHECK(a.service(kernel(5760, 64, 256), 0) == 4'296'000);
  // 80 CTAs (M = 40 x 128) fill exactly one wave: 100 + 2048 = 2148 cycles. 12.5% more work took twice the time.
  CHECK(a.service(kernel(5120, 64, 256), 0) == 2'148'000);
  // One more CTA than SMs costs a whole extra wave: 81 CTAs (M = 81 x 128, N = 128) = 4296 cycles.
  CHECK(a.service(kernel(81 * 128, 64, 128), 0) == 4'296'000);
  // K is padded to k_tile = 32: K = 40 runs as 64 (same time as K = 64); K = 32 halves the main loop: 2 x 100 +
  // 2 x 1024 = 2248.
  CHECK(a.service(kernel(5760, 40, 256), 0) == 4'296'000);
  CHECK(a.service(kernel(5760, 32, 256), 0) == 2'248'000);
  // A task that is one of 4 parts of the kernel takes a quarter: 1.074 us.
  CHECK(a.service(kernel(5760, 64, 256, 0, 4), 0) == 1'074'000);
}

TEST_CASE("SM array: the fastest tile shape is chosen, and CTAs sharing an SM", "[gpu][units][sm]") {
  SmArray a("sm", sms({kMedium, kTiny}));
  // The 90-CTA GEMM above with 64 x 64 tiles (4 per SM, efficiency 0.5): blocks = 90 x 4 = 360, waves =
  // ceil(360 / 320) = 2, main loop = 64 x 64 x 64 / (512 x 0.5) = 1024 cycles, each SM runs ceil(360 / 80) = 5:
  // 2 x 100 + 5 x 1024 = 5320 cycles > 4296 for 128 x 128: the medium tile wins.
  CHECK(a.plan(5760, 64, 256, 1).cycles == Approx(5320));
  CHECK(a.plan(5760, 64, 256).tile == 0);
  // A small GEMM, M = 64, N = 64, K = 256: medium = 1 CTA: 100 + 128 x 128 x 256 / 512 = 8292 cycles;
  // tiny = 1 CTA: 100 + 64 x 64 x 256 / 256 = 4196 cycles: the tiny tile wins despite its lower efficiency.
  CHECK(a.plan(64, 256, 64, 0).cycles == Approx(8292));
  const GemmPlan g = a.plan(64, 256, 64);
  CHECK(g.tile == 1);
  CHECK(g.cycles == Approx(4196));
}

TEST_CASE("SM array: CUDA-core work and a fused epilogue", "[gpu][units][sm]") {
  SmArray a("sm", sms({kMedium}));
  // 1,024,000 element ops / 5120 per cycle = 200 cycles = 200 ns; 1,024,001 ops round up to 201 cycles.
  CHECK(a.service(kernel(0, 0, 0, 1'024'000), 0) == 200'000);
  CHECK(a.service(kernel(0, 0, 0, 1'024'001), 0) == 201'000);
  // GEMM (4296 cycles) followed by its epilogue on the CUDA cores (200 cycles): 4496 cycles.
  CHECK(a.service(kernel(5760, 64, 256, 1'024'000), 0) == 4'496'000);
  CHECK(a.service(kernel(0, 0, 0, 0), 0) == 0);
}

TEST_CASE("L2 residency: an LRU stack over tensors", "[gpu][units][l2]") {
  L2Residency l2(100);
  CHECK(l2.resident(1, 40) == 0);  // never touched
  l2.touch(1, 40);
  l2.touch(2, 30);
  l2.touch(3, 50);
  // Tensor 3 is the most recent: all 50 bytes. Tensor 2: 50 bytes touched since, 30 <= 100 - 50: all 30.
  CHECK(l2.resident(3, 50) == 50);
  CHECK(l2.resident(2, 30) == 30);
  // Tensor 1: 30 + 50 = 80 bytes since: only its last 100 - 80 = 20 bytes are still there.
  CHECK(l2.resident(1, 40) == 20);
  // Re-touching 1 makes it the most recent.
  l2.touch(1, 40);
  CHECK(l2.resident(1, 40) == 40);
  // Tensor 2 now has 3 (50) and 1 (40) in front of it: 100 - 90 = 10 bytes left.
  CHECK(l2.resident(2, 30) == 10);
  // A 100-byte tensor pushes everything else out (the stack keeps only what can still be resident).
  l2.touch(4, 100);
  CHECK(l2.resident(4, 100) == 100);
  CHECK(l2.resident(1, 40) == 0);
  CHECK(l2.resident(3, 50) == 0);
}

TEST_CASE("L2 cache unit: latency plus bytes at L2 bandwidth", "[gpu][units][l2]") {
  L2Params p;
  p.bandwidth = 2e12;  // 2 bytes per ps
  p.latency = 100e-9;
  L2Cache l2("l2", p);
  sim::Task t;
  t.bytes = 1'000'000;  // 100 ns + 1e6 / 2e12 s = 100 ns + 500 ns = 600 ns
  CHECK(l2.service(t, 0) == 600'000);
}

TEST_CASE("GPU config errors name the dotted key", "[gpu][config]") {
  CHECK_THAT(error_of({"tensor_cores.tiles.large.efficiency=1.5"}),
             Catch::Contains("tensor_cores.tiles.large.efficiency") && Catch::Contains("(0, 1]"));
  CHECK_THAT(error_of({"l2.usable_fraction=1"}), Catch::Contains("l2.usable_fraction"));
  CHECK_THAT(error_of({"sms=0"}), Catch::Contains("sms"));
  CHECK_THAT(error_of({"lowering.fused_swish=maybe"}), Catch::Contains("lowering.fused_swish"));
  CHECK_THAT(error_of({"stack.launch_overhead_ns=-1"}), Catch::Contains("launch_overhead_ns"));
  CHECK(error_of({}) == "no error");
}
