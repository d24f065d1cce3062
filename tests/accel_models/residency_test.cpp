// The stack switches activation_residency and weight_prefetch (issue 25 item 2; docs/tpu-model.md and
// docs/gpu-model.md, "On-chip residency and weight prefetch"): bytes and times derived by hand on small traces, and
// the evaluator's group memo agreeing with a full run when groups overlap.
#include <catch2/catch.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "tests/accel_models/memo_twice.h"
#include "tests/accel_models/tpu_one_tile.h"
#include "traces/zoo/zoo.h"

using namespace rp;

namespace {

// x (N, 8, 8, 16) -> conv1 1x1 to 32 channels (t) -> conv2 1x1 to 16 channels (y); with `branch`, a third 1x1 conv
// also reads t (t then has two consumer groups). Convs are fusion anchors: one group per conv.
traces::Network chain(traces::DType dtype, bool branch = false) {
  traces::Network net("chain", dtype);
  const int x = net.add_input("x", {2, 8, 8, 16});
  traces::ConvAttrs a;
  a.filters = 32;
  const int t = net.add_conv2d("conv1", x, a);
  a.filters = 16;
  net.add_conv2d("conv2", t, a);
  if (branch) net.add_conv2d("conv3", t, a);
  return net;
}

using rp::test::tpu_one_tile;

}  // namespace

TEST_CASE("stack switch activation_residency: TPU HBM bytes by hand, with the capacity rule", "[tpu][stack]") {
  // bf16, 2 bytes: x 2x8x8x16 = 4096 B; conv1's weights 16x32 = 1024 B (no bias); t 2x8x8x32 = 8192 B; conv2's
  // weights 32x16 = 1024 B; y 2x8x8x16 = 4096 B.
  // Off: x + w1 + t written + t read + w2 + y = 4096 + 1024 + 8192 + 8192 + 1024 + 4096 = 26624 B.
  const traces::Network net = chain(traces::DType::kBF16);
  const sim::SimResult off = tpu_one_tile(net, {});
  CHECK(off.hbm_bytes == 26624);
  // On: t (8192 B) plus the larger held weights (1024 B) fit half of the 16 MiB vector memory: t is neither
  // written nor read, 26624 - 2 x 8192 = 10240 B; the FLOPs stay 2 x 2x64 x (16x32 + 32x16) = 262144, so the
  // operational intensity rises from 262144 / 26624 = 9.846 to 262144 / 10240 = 25.6 FLOP/B.
  const sim::SimResult on = tpu_one_tile(net, {"lowering.activation_residency=true"});
  CHECK(on.hbm_bytes == 10240);
  CHECK(on.flops == 262144);
  CHECK(on.intensity == Approx(25.6).epsilon(1e-12));
  CHECK(off.intensity == Approx(262144.0 / 26624).epsilon(1e-12));
  // The capacity rule: kept when 8192 + 1024 <= f x 16777216, i.e. f >= 9216 / 16777216 = 0.000549.
  CHECK(tpu_one_tile(net, {"lowering.activation_residency=true", "lowering.residency_fraction=0.0005"}).hbm_bytes ==
        26624);
  CHECK(tpu_one_tile(net, {"lowering.activation_residency=true", "lowering.residency_fraction=0.0006"}).hbm_bytes ==
        10240);
}

TEST_CASE("stack switch activation_residency: a tensor read by two later groups stays in HBM", "[tpu][stack]") {
  // conv2 and conv3 both read t: it is not consumed only by the next group, so nothing changes. Off and on alike:
  // x + w1 + t written + 2 x (t read + 1024 B weights + 4096 B output) = 4096 + 1024 + 8192 + 2 x 13312 = 39936 B.
  const traces::Network net = chain(traces::DType::kBF16, true);
  CHECK(tpu_one_tile(net, {}).hbm_bytes == 39936);
  CHECK(tpu_one_tile(net, {"lowering.activation_residency=true"}).hbm_bytes == 39936);
}

TEST_CASE("stack switch activation_residency: GPU skips the producer's write of a tensor kept in L2", "[gpu][stack]") {
  // fp16 on V100: the same bytes as above. Off, conv2 already reads t from L2 (it fits 0.75 x 6 MiB), so only the
  // write goes to HBM: x + w1 + t written + w2 + y = 4096 + 1024 + 8192 + 1024 + 4096 = 18432 B. On, t's write is not
  // issued either: 18432 - 8192 = 10240 B.
  const traces::Network net = chain(traces::DType::kF16);
  const auto v100 = [&](std::vector<std::string> sets) {
    return accel::simulate(net, *accel::make_accelerator("v100", sets));
  };
  CHECK(v100({}).hbm_bytes == 18432);
  CHECK(v100({"lowering.activation_residency=true"}).hbm_bytes == 10240);
  // The capacity rule on the L2: t + the larger weights = 9216 B within usable_fraction x 6291456 B, i.e. a fraction
  // of at least 0.001465. At 0.002 (12582 B) t is kept; at 0.001 (6291 B) it is not, and the switch changes nothing
  // (t is then partly read from L2 either way: 6291 B of it).
  CHECK(v100({"l2.usable_fraction=0.002"}).hbm_bytes == 18432);
  CHECK(v100({"l2.usable_fraction=0.002", "lowering.activation_residency=true"}).hbm_bytes == 10240);
  const double partly = v100({"l2.usable_fraction=0.001"}).hbm_bytes;
  CHECK(partly == 18432 + (8192 - 6291));
  CHECK(v100({"l2.usable_fraction=0.001", "lowering.activation_residency=true"}).hbm_bytes == partly);
}

TEST_CASE("stack switch weight_prefetch: the second group's weight load overlaps the first group (TPU, by hand)",
          "[tpu][stack]") {
  // One sample: x 1x1x2x8 bf16 = 32 B; conv1 1x1 8 -> 8: w1 = 64 x 2 = 128 B; t = 32 B; conv2 the same (w2 128 B).
  traces::Network net("two", traces::DType::kBF16);
  const int x = net.add_input("x", {1, 1, 2, 8});
  traces::ConvAttrs a;
  a.filters = 8;
  net.add_conv2d("conv2", net.add_conv2d("conv1", x, a), a);
  // A core's HBM: 2 channels of 1000 GB/s (4000 GB/s over 4 channels, 2 cores), no row misses (efficiency 1), no
  // refresh: a transfer of s <= 256 B (one interleave chunk) takes s ps on one channel, and two such transfers at
  // once use different channels (round robin), so they do not wait for each other.
  const std::vector<std::string> hbm = {"hbm.bandwidth_gbps=4000", "hbm.channels=4", "stack.hbm_efficiency=1",
                                        "hbm.refresh_fraction=0"};
  std::vector<std::string> with = hbm;
  with.push_back("lowering.weight_prefetch=true");
  const sim::SimResult off = tpu_one_tile(net, hbm), on = tpu_one_tile(net, with);
  // Off, the groups run back to back; conv2's load is t + w2 = 160 B: 160 ps. On, w2 (128 B, 128 ps) loads on the
  // second read engine right after conv1's dispatch, beside conv1's load of x + w1 (160 B, the other channel), and
  // is done long before conv1's matrix pass ends (hundreds of cycles at 940 MHz); conv2's own load is then t alone:
  // 32 ps. Everything else is unchanged, so the network is 160 - 32 = 128 ps faster: the plain sum no longer holds.
  CHECK((off.latency_ms - on.latency_ms) * 1e9 == Approx(128).margin(1e-6));  // ms -> ps
  // The same bytes move and the same work is done: the dynamic energy is the same (static energy follows latency).
  CHECK(on.hbm_bytes == off.hbm_bytes);
  CHECK(on.hbm_bytes == 32 + 128 + 32 + 32 + 128 + 32);
  CHECK(on.energy_hbm_j == off.energy_hbm_j);
  CHECK(on.energy_matrix_j == off.energy_matrix_j);
  CHECK(on.energy_vector_j == off.energy_vector_j);
}

TEST_CASE("stack switches residency and prefetch: the group memo agrees with a full run", "[evaluate][memo][stack]") {
  traces::BuildOptions o;
  o.batch = 2;
  for (const std::string name : {"tpuv3", "v100"}) {
    o.dtype = name == "tpuv3" ? traces::DType::kBF16 : traces::DType::kF16;
    const traces::Network net = traces::build_model("efficientnet-b0", o);
    for (const std::string sw : {"lowering.activation_residency=true", "lowering.weight_prefetch=true"}) {
      INFO(name << " " << sw);
      const auto counts = test::memo_twice(net, *accel::make_accelerator(name, {sw}));
      // Residency keeps groups back to back (the memo assembles the second run from records: the bytes kept are in
      // each group's key); prefetch overlaps them, and the memo steps aside (two full runs, nothing assembled).
      const bool prefetch = sw.find("prefetch") != std::string::npos;
      CHECK(counts.assembled == (prefetch ? 0 : 1));
      CHECK(counts.full_runs == (prefetch ? 2 : 1));
    }
  }
}

namespace {

// x (2, 8, 8, 16) fp16 -> `n` 1x1 convs of 16 -> 16 channels in a chain: n kernels on a GPU.
traces::Network convs(int n) {
  traces::Network net("convs", traces::DType::kF16);
  int t = net.add_input("x", {2, 8, 8, 16});
  traces::ConvAttrs a;
  a.filters = 16;
  for (int i = 1; i <= n; ++i) t = net.add_conv2d("conv" + std::to_string(i), t, a);
  return net;
}

double v100_ms(int n, double launch_ns, bool async) {
  return accel::simulate(convs(n), *accel::make_accelerator(
                                       "v100", {"stack.launch_overhead_ns=" + std::to_string(launch_ns),
                                                "lowering.async_launch=" + std::string(async ? "true" : "false"),
                                                "hbm.refresh_fraction=0"}))
      .latency_ms;
}

}  // namespace

TEST_CASE("stack switch async_launch: launches run ahead of the kernels (GPU, by hand)", "[gpu][stack]") {
  // Kernel k's work takes e_k; a launch takes L. Off, launch k starts when kernel k-1 ends: T = n L + sum e_k.
  // On, launch k waits only for launch k-1 (it ends at k L) and kernel k starts at max(k L, end of kernel k-1).
  // Launch-bound (L = 1 ms; each kernel about 10 us, mostly the paper profile's 13,076 block-overhead cycles at
  // 1530 MHz = 8.5 us): kernel k runs from k L to k L + e_k, before launch k+1 ends, so
  // T_on = 3 L + e_3, and e_3 is what the third kernel adds when off: T_off(3) - T_off(2) - L.
  const double L = 1.0;  // ms
  const double on = v100_ms(3, 1e6, true), off3 = v100_ms(3, 1e6, false), off2 = v100_ms(2, 1e6, false);
  const double e3 = off3 - off2 - L;
  CHECK(e3 > 0);
  CHECK(e3 < 0.02 * L);  // the case's premise: e_k well under L
  CHECK(on - 3 * L == Approx(e3).epsilon(1e-9));
  CHECK(off3 - on > 0);  // e_1 + e_2 hidden
  // Kernel-bound (L = 1 ns, each kernel longer): launch k ends at k ns, long before kernel k-1 does, so only the
  // first launch shows: T_on = L + sum e_k, T_off = 3 L + sum e_k, and the difference is 2 L = 2 ns = 2e-6 ms.
  CHECK((v100_ms(3, 1, false) - v100_ms(3, 1, true)) == Approx(2e-6).epsilon(1e-6));
  // Default off: the shipped profiles pay every launch in series.
  CHECK(v100_ms(3, 1e6, false) ==
        accel::simulate(
            convs(3), *accel::make_accelerator("v100", {"stack.launch_overhead_ns=1000000", "hbm.refresh_fraction=0"}))
            .latency_ms);
}

TEST_CASE("stack switch async_launch: the group memo steps aside and agrees with a full run",
          "[evaluate][memo][stack]") {
  traces::BuildOptions o;
  o.batch = 2;
  o.dtype = traces::DType::kF16;
  const traces::Network net = traces::build_model("efficientnet-b0", o);
  const auto acc = accel::make_accelerator("v100-modern", {"lowering.async_launch=true"});
  const auto counts = test::memo_twice(net, *acc);
  // Launches overlap the kernels before them: groups are not back to back, so nothing is recorded or assembled.
  CHECK(counts.assembled == 0);
  CHECK(counts.full_runs == 2);
  // Faster than with the switch off (every launch of the modern profile, 54 us, was in series).
  CHECK(accel::simulate(net, *acc).latency_ms <
        accel::simulate(net, *accel::make_accelerator("v100-modern")).latency_ms);
}
