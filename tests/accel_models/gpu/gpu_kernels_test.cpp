// GPU lowering on small networks: kernels per the software-stack rules, a memory-bound kernel's time derived by
// hand, launch overhead, L2 hits, GEMM shapes.
#include <catch2/catch.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/config/accelerator_config.h"
#include "accel_models/gpu/gpu_config.h"
#include "accel_models/gpu/gpu_lowering.h"
#include "accel_models/gpu/sm_array.h"
#include "accel_models/simulate.h"
#include "tests/accel_models/sim_lookup.h"

using namespace rp;
using test::unit;
using traces::Act;
using traces::ConvAttrs;
using traces::DType;
using traces::Network;

namespace {

// v100 with every parameter the hand derivations use pinned, so recalibrating the defaults cannot change them:
// one HBM channel of 900 GB/s with no row misses or refresh, no memory setup or launch cost, one part per kernel.
std::vector<std::string> pinned(std::vector<std::string> extra = {}) {
  std::vector<std::string> s = {"clock_mhz=1530",
                                "sms=80",
                                "cuda_cores.per_sm=64",
                                "cuda_cores.ops_per_core_per_clock.fp16=2",
                                "stack.cuda_efficiency=0.5",
                                "cuda_cores.cost_per_element.sigmoid=3",
                                "hbm.bandwidth_gbps=900",
                                "hbm.channels=1",
                                "hbm.access_bytes=32",
                                "hbm.interleave_bytes=256",
                                "hbm.row_bytes=1024",
                                "stack.hbm_efficiency=1",
                                "hbm.refresh_fraction=0",
                                "memory_path.setup_ns=0",
                                "stack.launch_overhead_ns=0",
                                "lowering.max_tiles=1",
                                "l2.capacity_mib=6",
                                "l2.usable_fraction=0.75"};
  s.insert(s.end(), extra.begin(), extra.end());
  return s;
}

sim::SimResult run(const Network& n, const std::vector<std::string>& sets) {
  return accel::simulate(n, *accel::make_accelerator("v100", sets));
}

ConvAttrs conv(int k, int s, int64_t filters, int groups = 1, bool bias = false) {
  ConvAttrs a;
  a.kernel_h = a.kernel_w = k;
  a.stride_h = a.stride_w = s;
  a.filters = filters;
  a.groups = groups;
  a.bias = bias;
  return a;
}

Network one_sigmoid(int64_t n, int64_t hw, int64_t c) {
  Network net("sigmoid", DType::kF16);
  const int x = net.add_input("input", {n, hw, hw, c});
  net.add_activation("sigmoid", x, Act::kSigmoid);
  return net;
}

// An MBConv-like block touching every rule: conv+bn+relu, depthwise+bn+swish, SE, projection with a residual add.
Network block() {
  Network net("block", DType::kF16);
  const int x = net.add_input("input", {8, 14, 14, 32});
  int a = net.add_conv2d("expand", x, conv(1, 1, 64));
  a = net.add_batch_norm("expand/bn", a);
  a = net.add_activation("expand/relu", a, Act::kReLU);
  int d = net.add_conv2d("dw", a, conv(3, 1, 64, 64));
  d = net.add_batch_norm("dw/bn", d);
  d = net.add_activation("dw/swish", d, Act::kSwish);
  int s = net.add_global_avg_pool("se/pool", d);
  s = net.add_conv2d("se/conv", s, conv(1, 1, 64, 1, true));
  s = net.add_activation("se/sigmoid", s, Act::kSigmoid);
  const int m = net.add_mul("se/mul", d, s);
  int p = net.add_conv2d("project", m, conv(1, 1, 32));
  p = net.add_batch_norm("project/bn", p);
  net.add_add("add", p, x);
  return net;
}

std::vector<std::vector<std::string>> kernels(const Network& net, const std::vector<std::string>& sets = {}) {
  const accel::Lowered low = accel::make_accelerator("v100", sets)->lower(net);
  std::vector<std::vector<std::string>> out;
  for (const auto& g : low.groups) out.push_back(g.members);
  return out;
}

using K = std::vector<std::vector<std::string>>;

}  // namespace

TEST_CASE("GPU kernels follow the software-stack rules", "[gpu][lowering]") {
  // Default stack: BN and ReLU in the conv's kernel, swish / sigmoid / pool / SE multiply separate, the residual
  // add in the projection's epilogue.
  CHECK(kernels(block()) == K{{"expand", "expand/bn", "expand/relu"},
                              {"dw", "dw/bn"},
                              {"dw/swish"},
                              {"se/pool"},
                              {"se/conv"},
                              {"se/sigmoid"},
                              {"se/mul"},
                              {"project", "project/bn", "add"}});
  // Fused swish: the swish joins the depthwise kernel; sigmoid stays separate.
  CHECK(kernels(block(), {"lowering.fused_swish=true"}) == K{{"expand", "expand/bn", "expand/relu"},
                                                             {"dw", "dw/bn", "dw/swish"},
                                                             {"se/pool"},
                                                             {"se/conv"},
                                                             {"se/sigmoid"},
                                                             {"se/mul"},
                                                             {"project", "project/bn", "add"}});
  // Each rule can be switched off.
  CHECK(kernels(block(), {"lowering.fuse_relu=false"})[1] == std::vector<std::string>{"expand/relu"});
  CHECK(kernels(block(), {"lowering.fuse_residual_add=false"}).back() == std::vector<std::string>{"add"});
  // Tensor cores for the convs, CUDA cores for the depthwise conv and everything elementwise.
  const accel::Lowered low = accel::make_accelerator("v100")->lower(block());
  std::vector<std::string> units;
  for (const auto& g : low.groups) units.push_back(g.unit);
  CHECK(units == std::vector<std::string>{"tensor", "cuda", "cuda", "cuda", "tensor", "cuda", "cuda", "tensor"});
}

TEST_CASE("a memory-bound elementwise kernel: read, compute, write", "[gpu][lowering]") {
  // 128 x 56 x 56 x 64 fp16 = 25,690,112 elements = 51,380,224 bytes in and the same out.
  // One part: load 51,380,224 B / 900 GB/s = 57.089138 us (1,605,632 bursts of 32 B on the one channel),
  // sigmoid 25,690,112 x 3 ops / (80 x 64 x 2 x 0.5 = 5120 per cycle) = ceil(15052.8) = 15053 cycles / 1.53 GHz
  // = 9.838562 us, store 57.089138 us. Total 124.016838 us; the launch is free here.
  const sim::SimResult r = run(one_sigmoid(128, 56, 64), pinned());
  CHECK(r.latency_ms == Approx(0.124016838).margin(2e-9));
  CHECK(r.hbm_bytes == 2.0 * 51'380'224);
  CHECK(unit(r, "launch").tasks == 1);
  CHECK(unit(r, "mem_read").tasks == 1);
  CHECK(unit(r, "sm").tasks == 1);
  CHECK(unit(r, "mem_write").tasks == 1);
  CHECK(unit(r, "sm").busy_ms == Approx(0.009838562).margin(1e-9));
}

TEST_CASE("a memory-bound kernel in parts overlaps compute and scales with HBM bandwidth only", "[gpu][lowering]") {
  const Network net = one_sigmoid(128, 56, 64);
  // The v100 defaults at the time of writing, pinned; 8 parts of ~12.8 MB.
  const std::vector<std::string> base = {
      "stack.launch_overhead_ns=0", "stack.cuda_efficiency=0.5", "cuda_cores.cost_per_element.sigmoid=3",
      "hbm.bandwidth_gbps=900",     "hbm.channels=32",           "stack.hbm_efficiency=0.8387",
      "hbm.refresh_fraction=0.07",  "memory_path.setup_ns=260",  "lowering.max_tiles=8",
      "lowering.tile_kib=1024"};
  auto with = [&](const std::string& set) {
    std::vector<std::string> s = base;
    s.push_back(set);
    return s;
  };
  const double t = run(net, base).latency_ms;
  // 102.8 MB at the HBM's sustained rate (900 GB/s less row misses and refresh, about 702 GB/s) is 0.146 ms; the
  // parts overlap the 9.8 us of sigmoid work almost entirely.
  const double sustained = accel::AcceleratorConfig::load("v100")
                               .with_text(base)
                               .family_config<accel::GpuConfig>()
                               .hbm.sustained_bandwidth();
  const double floor_ms = 2.0 * 51'380'224 / sustained * 1e3;
  CHECK(t >= floor_ms);
  CHECK(t < 1.1 * floor_ms);
  // Half the CUDA-core rate: the time hardly moves (memory bound) ...
  CHECK(run(net, with("stack.cuda_efficiency=0.25")).latency_ms < 1.03 * t);
  // ... half the HBM bandwidth: it nearly doubles (the fixed DRAM latency per part does not).
  CHECK(run(net, with("hbm.bandwidth_gbps=450")).latency_ms > 1.75 * t);
}

TEST_CASE("every kernel pays the launch overhead once, serially", "[gpu][lowering]") {
  // conv+bn+relu | swish | global pool | dense: 4 kernels (3 with fused swish).
  Network net("four", DType::kF16);
  int x = net.add_input("input", {128, 14, 14, 64});
  x = net.add_conv2d("conv", x, conv(1, 1, 64));
  x = net.add_batch_norm("conv/bn", x);
  x = net.add_activation("conv/relu", x, Act::kReLU);
  x = net.add_activation("swish", x, Act::kSwish);
  x = net.add_global_avg_pool("pool", x);
  net.add_dense("fc", x, 10);
  const sim::SimResult free = run(net, pinned({"lowering.max_tiles=8"}));
  const sim::SimResult paid = run(net, pinned({"lowering.max_tiles=8", "stack.launch_overhead_ns=10000"}));
  // Kernels of one stream run back to back, so 4 launches of 10 us add exactly 40 us.
  CHECK(unit(paid, "launch").tasks == 4);
  CHECK(unit(paid, "launch").busy_ms == Approx(0.04).margin(1e-12));
  CHECK(paid.latency_ms - free.latency_ms == Approx(0.04).margin(1e-9));
  const sim::SimResult fused =
      run(net, pinned({"lowering.max_tiles=8", "stack.launch_overhead_ns=10000", "lowering.fused_swish=true"}));
  CHECK(unit(fused, "launch").tasks == 3);
}

TEST_CASE("a kernel input produced by the previous kernel and fitting in L2 is read from L2", "[gpu][lowering][l2]") {
  // conv (reads the input 128 x 7 x 7 x 64 fp16 = 802,816 B and 64 x 64 x 2 = 8,192 B of weights, writes
  // 802,816 B) -> sigmoid (reads the conv output, 802,816 B <= 0.75 x 6 MiB: all from L2; writes 802,816 B).
  Network net("l2", DType::kF16);
  int x = net.add_input("input", {128, 7, 7, 64});
  x = net.add_conv2d("conv", x, conv(1, 1, 64));
  net.add_activation("sigmoid", x, Act::kSigmoid);
  const sim::SimResult hit = run(net, pinned());
  CHECK(hit.hbm_bytes == 3.0 * 802'816 + 8'192);
  CHECK(hit.layers[1].hbm_bytes == 802'816);  // only the write
  CHECK(unit(hit, "l2").tasks == 1);
  // Without L2 reuse the sigmoid reads its input from HBM too.
  const sim::SimResult miss = run(net, pinned({"l2.usable_fraction=0"}));
  CHECK(miss.hbm_bytes == 4.0 * 802'816 + 8'192);
  CHECK(unit(miss, "l2").tasks == 0);
  CHECK(hit.latency_ms < miss.latency_ms);
}

TEST_CASE("convolutions become implicit GEMMs on the tensor cores", "[gpu][lowering]") {
  // 3x3 stride-2 conv, 128 x 28 x 28 x 64 -> 128 x 14 x 14 x 128: M = 128 x 14 x 14 = 25,088, K = 3 x 3 x 64 = 576,
  // N = 128. The SM array's busy time is exactly that GEMM's kernel time (split over the kernel's parts).
  Network net("conv", DType::kF16);
  const int x = net.add_input("input", {128, 28, 28, 64});
  net.add_conv2d("conv", x, conv(3, 2, 128));
  const sim::SimResult r = run(net, {});
  const accel::SmArray sm(
      "sm",
      accel::at_precision(accel::AcceleratorConfig::load("v100").family_config<accel::GpuConfig>(), DType::kF16).sm);
  CHECK(unit(r, "sm").busy_ms == Approx(sm.kernel_seconds(25'088, 576, 128, 0) * 1e3).epsilon(1e-6));
  // HBM traffic: input 12,845,056 B + weights 3 x 3 x 64 x 128 x 2 = 147,456 B + output 6,422,528 B.
  CHECK(r.hbm_bytes == 12'845'056.0 + 147'456 + 6'422'528);
  CHECK(r.layers[0].unit == "tensor");
}
