// TPU model end to end: the paper's qualitative results follow from the unit models and lowering rules alone.
#include <catch2/catch.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "simulator/error.h"
#include "tests/accel_models/sim_lookup.h"
#include "traces/zoo/mbconv_family.h"
#include "traces/zoo/zoo.h"

using namespace rp;
using test::unit;

namespace {

traces::Network model(const std::string& name, int64_t batch = 128) {
  traces::BuildOptions o;
  o.batch = batch;
  o.dtype = traces::DType::kBF16;
  return traces::build_model(name, o);
}

sim::SimResult run(const std::string& name, const std::string& acc = "tpuv3", std::vector<std::string> sets = {}) {
  const auto a = accel::make_accelerator(acc, sets);
  return accel::simulate(model(name), *a);
}

// EfficientNet-B0 with its depthwise (MBConv) stages switched to ReLU; stem and head keep swish.
traces::Network b0_relu_depthwise() {
  const std::vector<std::string> blocks = {"r1_k3_s11_e1_i32_o16_se0.25_a0",  "r2_k3_s22_e6_i16_o24_se0.25_a0",
                                           "r2_k5_s22_e6_i24_o40_se0.25_a0",  "r3_k3_s22_e6_i40_o80_se0.25_a0",
                                           "r3_k5_s11_e6_i80_o112_se0.25_a0", "r4_k5_s22_e6_i112_o192_se0.25_a0",
                                           "r1_k3_s11_e6_i192_o320_se0.25_a0"};
  traces::FamilyParams p;  // swish stem / head / default, width = depth = 1, 224
  return traces::build_mbconv_family("b0-relu-depthwise", traces::decode_blocks(blocks), p, 128, traces::DType::kBF16);
}

}  // namespace

TEST_CASE("EfficientNet-X-B0 is faster than EfficientNet-B0 on TPUv3 despite ~2.4x the MACs", "[tpu]") {
  const sim::SimResult b0 = run("efficientnet-b0"), x = run("efficientnet-x-b0");
  CHECK(x.flops / b0.flops > 2.3);
  CHECK(x.latency_ms < b0.latency_ms);
  // The reason, as in the paper: far higher operational intensity.
  CHECK(x.intensity > 2 * b0.intensity);
}

TEST_CASE("each Table 4 ablation step is faster than the one before on TPUv3", "[tpu]") {
  const double b0 = run("efficientnet-b0").latency_ms;
  const double s2d = run("efficientnet-b0-s2d").latency_ms;
  const double fused = run("efficientnet-b0-s2d-fused").latency_ms;
  const double x = run("efficientnet-x-b0").latency_ms;
  CHECK(s2d < b0);
  CHECK(fused < s2d);
  CHECK(x < fused);
}

TEST_CASE("swish next to depthwise convs contends for the vector unit", "[tpu][contention]") {
  const auto acc = accel::make_accelerator("tpuv3");
  const sim::SimResult swish = accel::simulate(model("efficientnet-b0"), *acc);
  const sim::SimResult relu = accel::simulate(b0_relu_depthwise(), *acc);
  CHECK(relu.flops == swish.flops);  // same network, same MACs
  CHECK(unit(relu, "vector").busy_ms < unit(swish, "vector").busy_ms);
  CHECK(unit(relu, "vector").contention_ms < unit(swish, "vector").contention_ms);
  CHECK(relu.latency_ms < swish.latency_ms);
  // The paper's own pair: X-B0 (ReLU in the depthwise stages) vs the same blocks with swish everywhere.
  const sim::SimResult x = run("efficientnet-x-b0"), xs = run("efficientnet-b0-s2d-fused");
  CHECK(unit(x, "vector").contention_ms < unit(xs, "vector").contention_ms);
}

TEST_CASE("results are repeatable to the picosecond and stable over many runs", "[tpu]") {
  const auto acc = accel::make_accelerator("tpuv3");
  const traces::Network n = model("efficientnet-b0");
  const sim::SimResult first = accel::simulate(n, *acc);
  for (int i = 0; i < 200; ++i) {
    const sim::SimResult r = accel::simulate(n, *acc);
    REQUIRE(r.latency_ms == first.latency_ms);
    REQUIRE(r.hbm_bytes == first.hbm_bytes);
    REQUIRE(r.layers.back().end_ms == first.layers.back().end_ms);
  }
}

TEST_CASE("per-layer figures add up to the network figures", "[tpu]") {
  const sim::SimResult r = run("efficientnet-b0");
  double bytes = 0, flops = 0, last_end = 0;
  for (const auto& l : r.layers) {
    CHECK(l.start_ms <= l.end_ms);
    bytes += l.hbm_bytes;
    flops += l.flops;
    last_end = std::max(last_end, l.end_ms);
  }
  CHECK(bytes == Approx(r.hbm_bytes));
  CHECK(flops == Approx(r.flops));
  CHECK(last_end == Approx(r.latency_ms));
  CHECK(r.efficiency > 0);
  CHECK(r.efficiency <= 1.0);
  CHECK(r.intensity == Approx(r.flops / r.hbm_bytes));
}

TEST_CASE("HBM traffic of one fused conv is input + weights + output", "[tpu]") {
  // 2 x 32 x 32 x 128 bf16 input, 1x1 conv 128 -> 128, folded BN and ReLU fused: one fusion.
  traces::Network n("one-conv", traces::DType::kBF16);
  const int x = n.add_input("input", {2, 32, 32, 128});
  traces::ConvAttrs a;
  a.filters = 128;
  const int c = n.add_conv2d("conv", x, a);
  n.add_activation("relu", n.add_batch_norm("bn", c), traces::Act::kReLU);
  const auto acc = accel::make_accelerator("tpuv3");
  const sim::SimResult r = accel::simulate(n, *acc);
  REQUIRE(r.layers.size() == 1);
  CHECK(r.layers[0].fused.size() == 3);
  // input 2*32*32*128*2 = 524288 B, weights 128*128*2 = 32768 B per core (2 cores read them), output 524288 B.
  CHECK(r.hbm_bytes == 524288 + 2 * 32768 + 524288);
}

TEST_CASE("lowering rules can be switched off, and each one matters", "[tpu]") {
  const sim::SimResult base = run("efficientnet-b0");
  const sim::SimResult unfused = run("efficientnet-b0", "tpuv3", {"lowering.fuse_elementwise=false"});
  CHECK(unfused.hbm_bytes > 1.5 * base.hbm_bytes);  // every activation makes an HBM round trip
  CHECK(unfused.latency_ms > base.latency_ms);
  const sim::SimResult dw_mxu = run("efficientnet-b0", "tpuv3", {"lowering.depthwise_on_vector_unit=false"});
  CHECK(dw_mxu.latency_ms > base.latency_ms);  // depthwise on the 128x128 MXU wastes 127/128 columns
  const sim::SimResult one_core = run("efficientnet-b0", "tpuv3", {"lowering.split_batch_across_cores=false"});
  CHECK(one_core.latency_ms > 1.8 * base.latency_ms);
}

TEST_CASE("what-if generations: TPUv2 < TPUv3 < TPUv4 in speed", "[tpu]") {
  const double v2 = run("efficientnet-b0", "tpuv2").latency_ms;
  const double v3 = run("efficientnet-b0", "tpuv3").latency_ms;
  const double v4 = run("efficientnet-b0", "tpuv4").latency_ms;
  CHECK(v3 < v2);
  CHECK(v4 < v3);
  // Peak figures from the configs: 2 cores x arrays x 128^2 x 2 x clock.
  CHECK(accel::make_accelerator("tpuv3")->info().peak_flops == Approx(2 * 2 * 16384 * 2 * 940e6));
  CHECK(accel::make_accelerator("tpuv4")->info().peak_flops == Approx(275e12).epsilon(0.01));  // Google: 275 TFLOPS
}

TEST_CASE("bad input: unknown --set key, layer that does not fit, bad values", "[tpu][errors]") {
  auto error = [](auto&& fn) {
    try {
      fn();
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string unknown = error([] { accel::make_accelerator("tpuv3", {"matrix_unit.rowz=256"}); });
  CHECK_THAT(unknown, Catch::Contains("unknown key 'matrix_unit.rowz'"));
  CHECK_THAT(unknown, Catch::Contains("matrix_unit.rows"));
  CHECK_THAT(error([] { accel::make_accelerator("tpuv3", {"matrix_unit.rows=0"}); }),
             Catch::Contains("'matrix_unit.rows': must be an integer >= 1"));
  CHECK_THAT(error([] { accel::make_accelerator("tpuv3", {"hbm.bandwidth_gbps=-5"}); }),
             Catch::Contains("'hbm.bandwidth_gbps': must be > 0"));
  CHECK_THAT(error([] { accel::make_accelerator("tpuv9"); }), Catch::Contains("unknown accelerator 'tpuv9'"));
  const auto tiny = accel::make_accelerator("tpuv3", {"vector_memory.capacity_mib=0.01"});
  bool threw = false;
  try {
    accel::simulate(model("efficientnet-b0"), *tiny);
  } catch (const SimulationError& e) {
    threw = true;
    CHECK_THAT(std::string(e.what()), Catch::Contains("does not fit in vector memory"));
  }
  CHECK(threw);
}

TEST_CASE("XLA per-tap convolution: a k x k conv as k^2 passes of K = Cin", "[tpu][lowering]") {
  // A 3x3 conv from 3 to 32 channels on 8 x 112 x 112 (stride 1, same padding), one core, one tile:
  // im2col: K = 3 x 3 x 3 = 27 -> ceil(27 / 128) = 1 pass; per tap: 9 taps x ceil(3 / 128) = 9 passes of K = 3.
  // M = 8 x 112 x 112 = 100,352 rows per pass over 2 arrays: streaming cycles 50,176 (im2col) vs 451,584 (per tap),
  // weight loads hidden, + 128 + 254 fill / drain: the GEMM takes 9x (to within the fixed cycles).
  traces::Network net("stem", traces::DType::kBF16);
  const int x = net.add_input("x", {8, 112, 112, 3});
  traces::ConvAttrs a;
  a.kernel_h = a.kernel_w = 3;
  a.filters = 32;
  a.padding = traces::Padding::same();
  net.add_conv2d("conv", x, a);
  const std::vector<std::string> one = {"lowering.split_batch_across_cores=false", "lowering.min_tiles=1",
                                        "lowering.max_tiles=1"};
  auto matrix_ms = [&](std::vector<std::string> sets) {
    for (const auto& u : accel::simulate(net, *accel::make_accelerator("tpuv3", sets)).units) {
      if (u.name == "matrix") return u.busy_ms;
    }
    return 0.0;
  };
  const double im2col = matrix_ms(one);
  std::vector<std::string> tap = one;
  tap.push_back("lowering.conv_per_tap=true");
  const double per_tap = matrix_ms(tap);
  // (128 + 50,176 + 254) / 940 MHz and (128 + 451,584 + 254) / 940 MHz, each rounded to the picosecond.
  CHECK(im2col == Approx((128 + 50176 + 254) / 940e6 * 1e3).epsilon(1e-7));
  CHECK(per_tap == Approx((128 + 451584 + 254) / 940e6 * 1e3).epsilon(1e-7));
}

TEST_CASE("a layer cut into more tiles than a simulation may have is refused before they exist", "[tpu][errors]") {
  // A 4096 -> 4096 dense layer at batch 1: (4096 x 4096 + 4096) x 2 bytes (bf16) = 33,562,624 bytes of weights.
  // With weight_buffer_fraction 1e-7 of 16 MiB the weight budget is 1.6777216 bytes, so the weights come in
  // ceil(33,562,624 / 1.6777216) = ceil(20,004,882.8125) = 20,004,883 chunks, each of one tile (one output row at
  // batch 1): over the 2,000,000 tasks of sim::kMaxTasks. Before the limit, 20 M steps were allocated (gigabytes).
  traces::Network n("fc-net", traces::DType::kBF16);
  n.add_dense("fc", n.add_input("input", {1, 1, 1, 4096}), 4096);
  const auto acc = accel::make_accelerator("tpuv3", {"stack.lowering.weight_buffer_fraction=1e-7"});
  CHECK_THROWS_AS(acc->lower(n), SimulationError);
  CHECK_THROWS_WITH(acc->lower(n), Catch::StartsWith("layer 'fc' needs 20004883 tiles (20004883 weight chunks x 1), "
                                                     "more than the limit of 2000000 tasks per simulation"));
}

TEST_CASE("XLA grouped conv: filter expansion issues groups x the MACs and reads the expanded filter",
          "[tpu][lowering]") {
  // A 3x3 conv from 64 to 64 channels in 16 groups (4 input channels per group) on 2 x 8 x 8 bf16, same padding, one
  // core, one tile (docs/tpu-model.md, "Grouped convolution (XLA)").
  //  grouped (default): M = 2 x 8 x 8 = 128, K = 3 x 3 x 4 = 36, N = 4 in 16 groups: 128 x 36 x 4 x 16 = 294,912 MACs;
  //    weights 3 x 3 x 4 x 64 = 2,304 x 2 B = 4,608 B; passes 16 x ceil(36/128) x ceil(4/128) = 16, rows per array
  //    16 x 128 / 2 = 1,024 = weight loads 8 x 128: 128 + 1,024 + 254 (fill / drain) = 1,406 cycles.
  //  expanded: K = 3 x 3 x 64 = 576, N = 64, one group: 128 x 576 x 64 = 4,718,592 MACs (16x); the block-diagonal
  //    filter 3 x 3 x 64 x 64 = 36,864 x 2 B = 73,728 B (16x); passes ceil(576/128) x 1 = 5, rows per array
  //    ceil(5 x 128 / 2) = 320 < weight loads ceil(5/2) x 128 = 384: 128 + 384 + 254 = 766 cycles.
  //  (times at 940 MHz, rounded to the picosecond: 1e-6 relative); HBM: input 2 x 8 x 8 x 64 x 2 B = 16,384 B,
  //  output the same, + the weights once (one core).
  traces::Network net("grouped", traces::DType::kBF16);
  const int x = net.add_input("x", {2, 8, 8, 64});
  traces::ConvAttrs a;
  a.kernel_h = a.kernel_w = 3;
  a.filters = 64;
  a.groups = 16;
  a.padding = traces::Padding::same();
  net.add_conv2d("conv", x, a);
  const std::vector<std::string> one = {"lowering.split_batch_across_cores=false", "lowering.min_tiles=1",
                                        "lowering.max_tiles=1"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> sets = one;
    sets.insert(sets.end(), extra.begin(), extra.end());
    return accel::simulate(net, *accel::make_accelerator("tpuv3", sets));
  };
  auto issued_macs = [&](const sim::SimResult& r) {
    for (const auto& s : unit(r, "matrix").stats) {
      if (s.name == "macs") return s.value;
    }
    return -1.0;
  };
  const sim::SimResult grouped = with({});
  CHECK(issued_macs(grouped) == 294912);
  CHECK(grouped.hbm_bytes == 16384 + 16384 + 4608);
  CHECK(unit(grouped, "matrix").busy_ms == Approx(1406 / 940e6 * 1e3).epsilon(1e-6));
  // The switch on with its default bound (1 input channel per group) leaves a 4-channel group alone.
  const sim::SimResult narrow = with({"lowering.grouped_conv_expand=true"});
  CHECK(issued_macs(narrow) == 294912);
  CHECK(narrow.hbm_bytes == grouped.hbm_bytes);
  CHECK(narrow.latency_ms == grouped.latency_ms);
  const sim::SimResult expanded =
      with({"lowering.grouped_conv_expand=true", "lowering.grouped_conv_expand_max_width=4"});
  CHECK(issued_macs(expanded) == 4718592);
  CHECK(expanded.hbm_bytes == 16384 + 16384 + 73728);
  CHECK(unit(expanded, "matrix").busy_ms == Approx(766 / 940e6 * 1e3).epsilon(1e-6));
  CHECK(expanded.flops == grouped.flops);  // the model's FLOPs stay the useful ones (2 x 294,912)
  CHECK(grouped.flops == 2.0 * 294912);
  // One channel fewer in the bound: not expanded.
  CHECK(issued_macs(with({"lowering.grouped_conv_expand=true", "lowering.grouped_conv_expand_max_width=3"})) == 294912);
}
