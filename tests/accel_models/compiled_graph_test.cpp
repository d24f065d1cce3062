// The GPU stack switches compiled_graph and graph_executor (issue 25 item 2; docs/gpu-model.md, "Compiled graphs"
// and "Graph executors"): under a compiled graph (XLA) or TensorFlow's executor without XLA every kernel but a
// convolution pays the driver's launch, compiled_launch_ns, instead of the framework's launch_overhead_ns. Times
// derived by hand on a small trace.
#include <catch2/catch.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "simulator/error.h"
#include "tests/accel_models/gpu_launch_ms.h"
#include "tests/accel_models/memo_twice.h"

using namespace rp;

namespace {

// x (2, 8, 8, 16) -> conv 1x1 to 16 channels -> sigmoid -> global average pool -> dense to 10: on the GPU four
// kernels (docs/gpu-model.md: sigmoid and global pooling are always kernels of their own, a dense layer a GEMM),
// one of them a convolution. `convs_only`: x -> conv -> conv, two convolution kernels.
traces::Network mixed(bool convs_only = false) {
  traces::Network net("mixed", traces::DType::kF16);
  const int x = net.add_input("x", {2, 8, 8, 16});
  traces::ConvAttrs a;
  a.filters = 16;
  const int c = net.add_conv2d("conv", x, a);
  if (convs_only) {
    net.add_conv2d("conv2", c, a);
    return net;
  }
  const int s = net.add_activation("sigmoid", c, traces::Act::kSigmoid);
  const int p = net.add_global_avg_pool("pool", s);
  net.add_dense("fc", p, 10);
  return net;
}

// The framework's launch L = 1 ms, the driver's C = 1 us (gpu_launch_ms.h).
double v100_ms(const traces::Network& net, const std::vector<std::string>& switches,
               const std::string& accel = "v100") {
  return test::launch_ms(net, switches, accel);
}

const std::vector<std::string> kSwitches = {"compiled_graph", "graph_executor"};

}  // namespace

TEST_CASE(
    "stack switches compiled_graph, graph_executor: kernels but convolutions pay the driver's launch (GPU, "
    "by hand)",
    "[gpu][stack]") {
  // Launches are in series with the kernels (async_launch off): T = sum of the kernels' launches + sum e_k, and the
  // kernels' own times e_k do not depend on the switch. Off: 4 L. On: the conv pays L, sigmoid, pool and fc pay C
  // each, so T_off - T_on = 3 (L - C) = 3 x (1 ms - 0.001 ms) = 2.997 ms.
  const double off = v100_ms(mixed(), {});
  for (const auto& sw : kSwitches) {
    CAPTURE(sw);
    CHECK(off - v100_ms(mixed(), {sw}) == Approx(2.997).epsilon(1e-9));
    // A network of convolutions only: every kernel keeps L, the switch changes nothing.
    CHECK(v100_ms(mixed(true), {sw}) == v100_ms(mixed(true), {}));
  }
  // Both at once charge the same kernels the same launch: no second discount.
  CHECK(off - v100_ms(mixed(), kSwitches) == Approx(2.997).epsilon(1e-9));
  // Off by default in every shipped GPU profile: leaving the switches unset is the same run as setting them false
  // (were either on by default, the unset run would be 2.997 ms faster than the false one).
  for (const std::string& accel : test::shipped_gpus()) {
    CAPTURE(accel);
    CHECK(v100_ms(mixed(), {}, accel) == v100_ms(mixed(), {"compiled_graph=false", "graph_executor=false"}, accel));
  }
}

TEST_CASE("stack switches compiled_graph, graph_executor: a launch time is required and the memo agrees",
          "[gpu][stack][memo]") {
  for (const auto& sw : kSwitches) {
    CAPTURE(sw);
    const std::vector<std::string> set = {"lowering." + sw + "=true", "stack.compiled_launch_ns=0"};
    CHECK_THROWS_AS(accel::make_accelerator("v100", set), UsageError);
    CHECK_THROWS_WITH(accel::make_accelerator("v100", set),
                      Catch::Contains("compiled_launch_ns") && Catch::Contains(sw));
    // Groups run back to back under the switch, so the memo records and assembles; its figures are the full run's.
    const auto counts =
        test::memo_twice(mixed(), *accel::make_accelerator("v100-modern", {"lowering." + sw + "=true"}));
    CHECK(counts.assembled == 1);
    CHECK(counts.full_runs == 1);
  }
}
