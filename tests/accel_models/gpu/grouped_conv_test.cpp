// The GPU stack switches lowering.grouped_conv_packed (tensor cores) and lowering.cuda_gemm_n_granule (fp32 GEMMs on
// the CUDA cores) (issue 25 item 2; docs/gpu-model.md, "Grouped convolutions"): a tiny grouped conv's issued MACs,
// SM cycles and HBM bytes derived by hand, off and on; depthwise untouched.
#include <catch2/catch.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "tests/accel_models/sim_lookup.h"

using namespace rp;
using test::stat;
using test::unit;
using traces::ConvAttrs;
using traces::DType;
using traces::Network;

namespace {

// v100 with everything the derivations use pinned (so a recalibration cannot move them): 1530 MHz, 80 SMs,
// 8 tensor cores x 64 fp16 FMA per clock (512 per SM clock), K padded to k_tile 32, the four-tile menu as shipped,
// tensor_efficiency 1, 100 cycles per wave, no launch cost, one part per kernel.
std::vector<std::string> tc_pinned(std::vector<std::string> extra = {}) {
  std::vector<std::string> s = {"clock_mhz=1530",
                                "sms=80",
                                "tensor_cores.per_sm=8",
                                "tensor_cores.fma_per_clock.fp16=64",
                                "tensor_cores.k_tile=32",
                                "tensor_cores.tiles.large.m=256",
                                "tensor_cores.tiles.large.n=128",
                                "tensor_cores.tiles.large.blocks_per_sm=1",
                                "tensor_cores.tiles.large.efficiency=0.7",
                                "tensor_cores.tiles.medium.m=128",
                                "tensor_cores.tiles.medium.n=128",
                                "tensor_cores.tiles.medium.blocks_per_sm=1",
                                "tensor_cores.tiles.medium.efficiency=0.65",
                                "tensor_cores.tiles.small.m=128",
                                "tensor_cores.tiles.small.n=64",
                                "tensor_cores.tiles.small.blocks_per_sm=2",
                                "tensor_cores.tiles.small.efficiency=0.6",
                                "tensor_cores.tiles.tiny.m=64",
                                "tensor_cores.tiles.tiny.n=64",
                                "tensor_cores.tiles.tiny.blocks_per_sm=4",
                                "tensor_cores.tiles.tiny.efficiency=0.5",
                                "stack.tensor_efficiency=1",
                                "stack.block_overhead_cycles=100",
                                "stack.launch_overhead_ns=0",
                                "lowering.max_tiles=1"};
  s.insert(s.end(), extra.begin(), extra.end());
  return s;
}

sim::SimResult run_v100(const Network& n, const std::vector<std::string>& sets) {
  return accel::simulate(n, *accel::make_accelerator("v100", sets));
}

// x (32, 8, 8, 32) fp16 -> 3x3 stride-1 'same' conv, 32 filters in 8 groups: 4 input and 4 output channels per
// group (ResNeXt 32x4d's first stage has the same 4 per group).
Network grouped() {
  Network net("grouped", DType::kF16);
  const int x = net.add_input("input", {32, 8, 8, 32});
  ConvAttrs a;
  a.kernel_h = a.kernel_w = 3;
  a.filters = 32;
  a.groups = 8;
  net.add_conv2d("conv", x, a);
  return net;
}

}  // namespace

TEST_CASE("grouped_conv_packed: a grouped conv's GEMM, MACs and SM cycles by hand", "[gpu][stack]") {
  // Per group: M = 32 x 8 x 8 = 2048 rows, K = 3 x 3 x 4 = 36 (padded to k_tile: 64), N = 4. Useful MACs:
  // 8 groups x 2048 x 36 x 4 = 2,359,296.
  const Network net = grouped();
  REQUIRE(net.layer(1).macs == 2'359'296);
  // Off (groups stacked along M): m = 8 x 2048 = 16384, k = 36, n = 4; issued m x k x n = 2,359,296. Per tile,
  // cycles = waves x 100 + ceil(blocks / 80) x tile.m x tile.n x 64 / (512 x efficiency):
  //   large  256x128: 64 x 1 blocks, 1 wave:   100 + 1 x 5851.43 = 5951.43
  //   medium 128x128: 128 blocks, 2 waves:     200 + 2 x 3150.77 = 6501.54
  //   small  128x64 (2 per SM): 128 blocks, 1 wave: 100 + 2 x 1706.67 = 3513.33  <- fastest
  //   tiny   64x64 (4 per SM): 256 blocks, 1 wave:  100 + 4 x 1024 = 4196
  // 3513.333 cycles / 1.53 GHz = 2.296296 us (times are whole picoseconds: 1e-9 ms). Every tile pads the group's N = 4 to 64 or 128 columns.
  const sim::SimResult off = run_v100(net, tc_pinned());
  CHECK(stat(unit(off, "sm"), "macs") == 2'359'296);
  CHECK(unit(off, "sm").busy_ms == Approx((100 + 2 * 524288.0 / 307.2) / 1.53e9 * 1e3).margin(1e-9));
  // On (groups side by side in N, each padded to the granule 8): m = 2048, k = 36, n = 8 x 8 = 64; issued
  // 2048 x 36 x 64 = 4,718,592 (twice the useful MACs: 4 of every 8 columns are padding).
  //   large: 8 blocks: 100 + 5851.43;  medium: 16 blocks: 100 + 3150.77;  small: 16 blocks: 100 + 1706.67;
  //   tiny: 32 blocks: 100 + 1024 = 1124  <- fastest;  1124 cycles / 1.53 GHz = 0.734641 us, 3.13x faster.
  const sim::SimResult on = run_v100(net, tc_pinned({"lowering.grouped_conv_packed=true"}));
  CHECK(stat(unit(on, "sm"), "macs") == 4'718'592);
  CHECK(unit(on, "sm").busy_ms == Approx(1124 / 1.53e9 * 1e3).margin(1e-9));
  // The granule: 4 (no padding) issues the useful MACs, n = 32; 16 issues 2048 x 36 x 128 = 9,437,184.
  CHECK(stat(unit(run_v100(net, tc_pinned({"lowering.grouped_conv_packed=true", "lowering.grouped_conv_n_granule=4"})),
                  "sm"),
             "macs") == 2'359'296);
  CHECK(stat(unit(run_v100(net, tc_pinned({"lowering.grouped_conv_packed=true", "lowering.grouped_conv_n_granule=16"})),
                  "sm"),
             "macs") == 9'437'184);
  // The rule moves no byte: input 32 x 8 x 8 x 32 x 2 B = 131,072, weights 3 x 3 x 4 x 32 x 2 B = 2,304, output
  // 131,072: 264,448 B either way.
  CHECK(off.hbm_bytes == 264'448);
  CHECK(on.hbm_bytes == 264'448);
}

TEST_CASE("grouped_conv_packed: depthwise convs stay on the CUDA cores, dense convs unchanged", "[gpu][stack]") {
  Network net("dw", DType::kF16);
  const int x = net.add_input("input", {32, 8, 8, 32});
  ConvAttrs a;
  a.kernel_h = a.kernel_w = 3;
  a.filters = 32;
  a.groups = 32;  // depthwise: groups == input channels == filters
  const int d = net.add_conv2d("dw", x, a);
  a.groups = 1;
  net.add_conv2d("dense", d, a);
  const sim::SimResult off = run_v100(net, tc_pinned());
  const sim::SimResult on = run_v100(net, tc_pinned({"lowering.grouped_conv_packed=true"}));
  REQUIRE(off.layers.size() == 2);
  CHECK(off.layers[0].unit == "cuda");
  CHECK(on.layers[0].unit == "cuda");
  CHECK(on.latency_ms == off.latency_ms);
  CHECK(stat(unit(on, "sm"), "macs") == stat(unit(off, "sm"), "macs"));
}

TEST_CASE("grouped_conv_n_granule must be a count", "[gpu][stack]") {
  try {
    accel::make_accelerator("v100", {"lowering.grouped_conv_n_granule=0"});
    FAIL("accepted a granule of 0");
  } catch (const std::exception& e) {
    CHECK(std::string(e.what()).find("grouped_conv_n_granule") != std::string::npos);
  }
}

namespace {

// The grouped conv of grouped() in fp32: V100 has no fp32 tensor-core rate, so its GEMM runs on the CUDA cores.
Network grouped_fp32(int filters_per_group) {
  Network net("grouped_fp32", DType::kF32);
  const int x = net.add_input("input", {32, 8, 8, 32});
  ConvAttrs a;
  a.kernel_h = a.kernel_w = 3;
  a.filters = 8 * filters_per_group;
  a.groups = 8;
  net.add_conv2d("conv", x, a);
  return net;
}

// fp32, CUDA-core rate pinned: 80 SMs x 64 cores x 1 fp32 op per clock x cuda_efficiency 1 = 5120 ops per cycle,
// cuda_gemm_efficiency 1 (an issued MAC is one op); lowering.cuda_gemm_n_granule = `granule` (v100 ships 32).
std::vector<std::string> fp32(int granule) {
  return tc_pinned({"precision=fp32", "cuda_cores.per_sm=64", "cuda_cores.ops_per_core_per_clock.fp32=1",
                    "stack.cuda_efficiency=1", "stack.cuda_gemm_efficiency=1",
                    "lowering.cuda_gemm_n_granule=" + std::to_string(granule)});
}

}  // namespace

TEST_CASE("cuda_gemm_n_granule: an fp32 grouped conv's issued MACs and SM cycles by hand", "[gpu][stack]") {
  // 8 groups of 4 input and 4 output channels: useful MACs 8 x (32 x 8 x 8) x (3 x 3 x 4) x 4 = 2,359,296.
  const Network net = grouped_fp32(4);
  REQUIRE(net.layer(1).macs == 2'359'296);
  // 0 (off; the key's default): the useful MACs, ceil(2,359,296 / 5120) = ceil(460.8) = 461 cycles at 1.53 GHz.
  const sim::SimResult off = run_v100(net, fp32(0));
  REQUIRE(off.layers.size() == 1);
  CHECK(off.layers[0].unit == "cuda");
  CHECK(stat(unit(off, "sm"), "element_ops") == Approx(2'359'296));
  CHECK(unit(off, "sm").busy_ms == Approx(461 / 1.53e9 * 1e3).margin(1e-9));
  // 32 (as v100 ships: cuDNN's narrowest fp32 tile): each group's N = 4 padded to 32, 8x the MACs: 18,874,368 ops,
  // ceil(18,874,368 / 5120) = ceil(3686.4) = 3687 cycles.
  const sim::SimResult on = run_v100(net, fp32(32));
  CHECK(stat(unit(on, "sm"), "element_ops") == Approx(18'874'368));
  CHECK(unit(on, "sm").busy_ms == Approx(3687 / 1.53e9 * 1e3).margin(1e-9));
  // 8: N = 4 -> 8, twice the MACs: 4,718,592 ops, ceil(921.6) = 922 cycles.
  CHECK(stat(unit(run_v100(net, fp32(8)), "sm"), "element_ops") == Approx(4'718'592));
  // Groups of 32 filters (a multiple of 32) issue no padding: 8 x 2048 x 36 x 32 = 18,874,368 both ways.
  const Network wide = grouped_fp32(32);
  CHECK(stat(unit(run_v100(wide, fp32(32)), "sm"), "element_ops") == Approx(18'874'368));
  CHECK(stat(unit(run_v100(wide, fp32(0)), "sm"), "element_ops") == Approx(18'874'368));
  // Bytes do not move: input and output 32 x 8 x 8 x 32 x 4 B = 262,144 each, weights 3 x 3 x 4 x 32 x 4 B = 4,608.
  CHECK(off.hbm_bytes == 528'896);
  CHECK(on.hbm_bytes == 528'896);
}

TEST_CASE("cuda_gemm_n_granule: fp16 tensor-core GEMMs do not move; a negative granule is refused", "[gpu][stack]") {
  const Network net = grouped();
  CHECK(run_v100(net, tc_pinned({"lowering.cuda_gemm_n_granule=32"})).latency_ms ==
        run_v100(net, tc_pinned({"lowering.cuda_gemm_n_granule=0"})).latency_ms);
  try {
    accel::make_accelerator("v100", {"lowering.cuda_gemm_n_granule=-1"});
    FAIL("accepted a granule of -1");
  } catch (const std::exception& e) {
    CHECK(std::string(e.what()).find("cuda_gemm_n_granule") != std::string::npos);
  }
}
