// What-if sanity (issue 11): every built-in accelerator answers "what if this knob changed" in the direction and
// roughly by the amount the roofline says. Workloads whose bound is derived by hand below; the EfficientNet-B0 and
// ResNet-50 figures of the same knobs are reported in docs/whatif.md (they are mixed-bound on several of these
// accelerators, so their speedups are findings, not sanity bounds).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "accel_models/config/accelerator_config.h"
#include "accel_models/simulate.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

using namespace rp;
using accel::AcceleratorConfig;

namespace {

struct Knobs {
  std::string name;
  accel::Override double_bandwidth, half_bandwidth, double_peak, half_peak;
};

// Chip bandwidth and the peak rate's key at the default precision (bf16 on TPUs, fp16 on GPUs), from the YAMLs.
const std::vector<Knobs>& knobs() {
  static const std::vector<Knobs> k = {
      {"tpuv2",
       {"hbm.bandwidth_gbps", 1400.0},
       {"hbm.bandwidth_gbps", 350.0},
       {"matrix_unit.macs_per_cell_per_cycle.bf16", 2.0},
       {"matrix_unit.macs_per_cell_per_cycle.bf16", 0.5}},
      {"tpuv3",
       {"hbm.bandwidth_gbps", 1800.0},
       {"hbm.bandwidth_gbps", 450.0},
       {"matrix_unit.macs_per_cell_per_cycle.bf16", 2.0},
       {"matrix_unit.macs_per_cell_per_cycle.bf16", 0.5}},
      {"tpuv4",
       {"hbm.bandwidth_gbps", 2400.0},
       {"hbm.bandwidth_gbps", 600.0},
       {"matrix_unit.macs_per_cell_per_cycle.bf16", 2.0},
       {"matrix_unit.macs_per_cell_per_cycle.bf16", 0.5}},
      {"v100",
       {"hbm.bandwidth_gbps", 1800.0},
       {"hbm.bandwidth_gbps", 450.0},
       {"tensor_cores.fma_per_clock.fp16", 128.0},
       {"tensor_cores.fma_per_clock.fp16", 32.0}},
      {"a100",
       {"hbm.bandwidth_gbps", 3110.0},
       {"hbm.bandwidth_gbps", 777.5},
       {"tensor_cores.fma_per_clock.fp16", 512.0},
       {"tensor_cores.fma_per_clock.fp16", 128.0}},
      {"h100",
       {"hbm.bandwidth_gbps", 6700.0},
       {"hbm.bandwidth_gbps", 1675.0},
       {"tensor_cores.fma_per_clock.fp16", 1024.0},
       {"tensor_cores.fma_per_clock.fp16", 256.0}},
  };
  return k;
}

double latency(const AcceleratorConfig& c, const traces::Network& net) {
  return accel::simulate(net, *c.build()).latency_ms;
}

traces::Network zoo(const std::string& name, int64_t batch, traces::DType t) {
  traces::BuildOptions o;
  o.batch = batch;
  o.dtype = t;
  return traces::build_model(name, o);
}

// Memory-bound: one ReLU over a 64 x 56 x 56 x 256 tensor. Per element it reads and writes 2 bytes (4 B) and does
// one ALU operation. TPUv2, the weakest compute here, runs 128 x 8 x 2 = 2048 ops per cycle per core at 700 MHz =
// 1.43e12 ops/s, while its HBM streams at most 350 GB/s per core = 8.8e10 elements/s: memory time is 16x the
// compute time; on the GPUs the CUDA cores at their fitted 13% efficiency do >= 4e12 ops/s against <= 0.9 x 3.35
// TB/s / 4 B: memory time >= 5x compute. So latency ~ bytes / bandwidth plus fixed costs (dispatch, DMA setup:
// < 10% here): doubling the bandwidth gives close to 2x, and >= 1.6x.
traces::Network streaming(traces::DType t) {
  traces::Network n("streaming-relu", t);
  const int x = n.add_input("x", {64, 56, 56, 256});
  n.add_activation("relu", x, traces::Act::kReLU);
  return n;
}

// Compute-bound: one 1x1 convolution 4096 -> 4096 channels on 256 x 14 x 14 pixels: W = 2 x 50176 x 4096^2 =
// 1.68 TFLOP; Q = input and output 50176 x 4096 x 2 B = 0.41 GB each (TPUs re-read the input once per 8 MiB weight
// chunk: 5 chunks) plus 34 MB of weights, so I >= 1.68e12 / (6 x 0.41e9 + 34e6) = 675 FLOP/B, at least 2.3x every
// accelerator's ridge at its sustained bandwidth (H100: 989 TFLOP/s x 0.7 tile efficiency / (3.35 TB/s x 0.27 x
// 0.93) = 820 FLOP/B with the paper stack, and its I here is 1980). Compute time is >= 2x memory time, so doubling
// the peak still leaves compute the bound: speedup close to 2x, and >= 1.6x.
traces::Network gemm(traces::DType t) {
  traces::Network n("big-gemm", t);
  const int x = n.add_input("x", {256, 14, 14, 4096});
  traces::ConvAttrs a;
  a.filters = 4096;
  a.kernel_h = a.kernel_w = 1;
  n.add_conv2d("conv", x, a);
  return n;
}

}  // namespace

TEST_CASE("what-if: doubling HBM bandwidth speeds a memory-bound layer up >= 1.6x on every accelerator", "[whatif]") {
  for (const Knobs& k : knobs()) {
    const AcceleratorConfig base = AcceleratorConfig::load(k.name);
    const traces::Network net = streaming(base.build()->info().precision);
    const double ratio = latency(base, net) / latency(base.with({k.double_bandwidth}), net);
    INFO(k.name << ": " << ratio << "x");
    CHECK(ratio >= 1.6);
    CHECK(ratio <= 2.05);
  }
}

TEST_CASE("what-if: doubling the matrix / tensor-core peak speeds a compute-bound layer up >= 1.6x", "[whatif]") {
  for (const Knobs& k : knobs()) {
    const AcceleratorConfig base = AcceleratorConfig::load(k.name);
    const traces::Network net = gemm(base.build()->info().precision);
    const double ratio = latency(base, net) / latency(base.with({k.double_peak}), net);
    INFO(k.name << ": " << ratio << "x");
    CHECK(ratio >= 1.6);
    CHECK(ratio <= 2.05);
  }
}

TEST_CASE("what-if: halving bandwidth or peak never speeds EfficientNet-B0 or ResNet-50 up", "[whatif]") {
  for (const Knobs& k : knobs()) {
    const AcceleratorConfig base = AcceleratorConfig::load(k.name);
    const traces::DType t = base.build()->info().precision;
    for (const auto& net : {zoo("efficientnet-b0", 128, t), zoo("resnet-50", 256, t)}) {
      const double l = latency(base, net);
      INFO(k.name << " " << net.name());
      CHECK(latency(base.with({k.half_bandwidth}), net) >= l);
      CHECK(latency(base.with({k.half_peak}), net) >= l);
    }
  }
}

TEST_CASE("what-if: int8 is faster than the default precision for ResNet-50 where there is an int8 peak", "[whatif]") {
  // tpuv4: int8 at the bf16 rate (275 TOPS = 275 TFLOPS) but half the bytes; a100 / h100: twice the fp16 rate and
  // half the bytes. Either way nothing gets slower and the memory traffic halves: int8 must be faster.
  for (const std::string name : {"tpuv4", "a100", "h100"}) {
    const AcceleratorConfig base = AcceleratorConfig::load(name);
    const double def = latency(base, zoo("resnet-50", 256, base.build()->info().precision));
    const double int8 =
        latency(base.with({{"precision", std::string("int8")}}), zoo("resnet-50", 256, traces::DType::kI8));
    INFO(name << ": " << def << " ms -> int8 " << int8 << " ms");
    CHECK(int8 < def);
  }
}

TEST_CASE("what-if: a precision without a peak is rejected, naming the supported ones", "[whatif][config]") {
  auto error = [](const std::string& acc, const std::string& p) {
    try {
      AcceleratorConfig::load(acc).with({{"precision", p}});
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error("tpuv3", "int8"), Catch::Contains("tpuv3 does not support int8 (supported: bf16)"));
  CHECK_THAT(error("v100", "bf16"), Catch::Contains("(supported: fp32, fp16)"));
  CHECK_THAT(error("a100", "fp8"), Catch::Contains("(supported: fp32, tf32, bf16, fp16, int8)"));
  CHECK(error("h100", "fp8") == "no error");
}

TEST_CASE("what-if: peaks per precision come from the spec sheets", "[whatif][config]") {
  // V100 fp32 has no tensor-core rate: the peak is the CUDA cores' 80 x 64 x 1 FMA x 2 x 1.53 GHz = 15.7 TFLOP/s.
  CHECK(AcceleratorConfig::load("v100").with({{"precision", std::string("fp32")}}).build()->info().peak_flops ==
        Approx(15.667e12).epsilon(1e-3));
  // A100 int8: 108 SMs x 4 tensor cores x 512 x 2 x 1.41 GHz = 624 TOPS (NVIDIA A100 datasheet).
  CHECK(AcceleratorConfig::load("a100").with({{"precision", std::string("int8")}}).build()->info().peak_flops ==
        Approx(623.8e12).epsilon(1e-3));
  // H100 fp8: 132 x 4 x 1024 x 2 x 1.83 GHz = 1979 TFLOP/s dense (NVIDIA H100 datasheet).
  CHECK(AcceleratorConfig::load("h100").with({{"precision", std::string("fp8")}}).build()->info().peak_flops ==
        Approx(1978.6e12).epsilon(1e-3));
  // TPU rates per chip: hbm.bandwidth_gbps is the chip's 900 GB/s; each core gets half.
  CHECK(AcceleratorConfig::load("tpuv3").build()->info().hbm_bandwidth == 900e9);
}
