// The GPU stack switch compiled_graph (issue 25 item 2; docs/gpu-model.md, "Compiled graphs"): under a compiled
// graph (XLA) every kernel but a convolution pays the driver's launch, compiled_launch_ns, instead of the
// framework's launch_overhead_ns; and the profile key op_launch_ns, the launch an eagerly run kernel pays when it
// is one framework op (every kernel but a convolution). Times derived by hand on a small trace.
#include <catch2/catch.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "simulator/error.h"
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

double v100_ms(const traces::Network& net, bool compiled) {
  // The framework's launch L = 1 ms, a compiled graph's C = 1 us; no refresh, so a kernel's time is the same
  // whenever it runs.
  return accel::simulate(net, *accel::make_accelerator(
                                  "v100", {"stack.launch_overhead_ns=1000000", "stack.compiled_launch_ns=1000",
                                           "lowering.compiled_graph=" + std::string(compiled ? "true" : "false"),
                                           "hbm.refresh_fraction=0"}))
      .latency_ms;
}

// The same with op_launch_ns = O = 10 us beside them (eager unless `compiled`).
double v100_op_ms(const traces::Network& net, bool compiled) {
  return accel::simulate(net, *accel::make_accelerator(
                                  "v100", {"stack.launch_overhead_ns=1000000", "stack.compiled_launch_ns=1000",
                                           "stack.op_launch_ns=10000",
                                           "lowering.compiled_graph=" + std::string(compiled ? "true" : "false"),
                                           "hbm.refresh_fraction=0"}))
      .latency_ms;
}

}  // namespace

TEST_CASE("stack switch compiled_graph: kernels but convolutions pay the driver's launch (GPU, by hand)",
          "[gpu][stack]") {
  // Launches are in series with the kernels (async_launch off): T = sum of the kernels' launches + sum e_k, and the
  // kernels' own times e_k do not depend on the switch. Off: 4 L. On: the conv pays L, sigmoid, pool and fc pay C
  // each, so T_off - T_on = 3 (L - C) = 3 x (1 ms - 0.001 ms) = 2.997 ms.
  const double off = v100_ms(mixed(), false), on = v100_ms(mixed(), true);
  CHECK(off - on == Approx(2.997).epsilon(1e-9));
  // A network of convolutions only: every kernel keeps L, the switch changes nothing.
  CHECK(v100_ms(mixed(true), true) == v100_ms(mixed(true), false));
  // Off by default in the shipped profiles.
  CHECK(off == accel::simulate(mixed(), *accel::make_accelerator(
                                            "v100", {"stack.launch_overhead_ns=1000000",
                                                     "stack.compiled_launch_ns=1000", "hbm.refresh_fraction=0"}))
                   .latency_ms);
}

TEST_CASE("stack switch compiled_graph: a launch time is required and the memo agrees with a full run",
          "[gpu][stack][memo]") {
  CHECK_THROWS_AS(accel::make_accelerator("v100", {"lowering.compiled_graph=true", "stack.compiled_launch_ns=0"}),
                  UsageError);
  CHECK_THROWS_WITH(accel::make_accelerator("v100", {"lowering.compiled_graph=true", "stack.compiled_launch_ns=0"}),
                    Catch::Contains("compiled_launch_ns") && Catch::Contains("compiled_graph"));
  // Groups run back to back under the switch, so the memo records and assembles; its figures are the full run's.
  const auto counts =
      test::memo_twice(mixed(), *accel::make_accelerator("v100-modern", {"lowering.compiled_graph=true"}));
  CHECK(counts.assembled == 1);
  CHECK(counts.full_runs == 1);
}

TEST_CASE("stack key op_launch_ns: eager kernels but convolutions pay the one-op launch (GPU, by hand)",
          "[gpu][stack]") {
  // Eager (compiled_graph off), launches in series as above. Without the key every kernel pays L = 1 ms; with
  // O = 10 us the conv still pays L and sigmoid, pool and fc pay O: T_without - T_with = 3 (L - O) = 3 x 0.99 ms =
  // 2.97 ms.
  const double without = v100_ms(mixed(), false), with = v100_op_ms(mixed(), false);
  CHECK(without - with == Approx(2.97).epsilon(1e-9));
  // Under a compiled graph the same three pay C = 1 us instead: T_eager - T_compiled = 3 (O - C) = 0.027 ms.
  CHECK(with - v100_op_ms(mixed(), true) == Approx(0.027).epsilon(1e-6));
  // Convolutions only: the key changes nothing.
  CHECK(v100_op_ms(mixed(true), false) == v100_ms(mixed(true), false));
  // The shipped modern profile gives both the same measured figure (the driver's launch of a kernel to its
  // completion), so there a network's eager and compiled-graph times are equal; the paper profile has no
  // op_launch_ns, so its eager kernels all pay launch_overhead_ns (the first CHECK of the case above).
  const auto modern = [](bool compiled) {
    return accel::simulate(mixed(), *accel::make_accelerator("v100-modern", {"lowering.compiled_graph=" +
                                                                             std::string(compiled ? "true" : "false")}))
        .latency_ms;
  };
  CHECK(modern(false) == modern(true));
  // The memo agrees with a full run under the key.
  const auto counts = test::memo_twice(mixed(), *accel::make_accelerator("v100", {"stack.op_launch_ns=10000"}));
  CHECK(counts.assembled == 1);
  CHECK(counts.full_runs == 1);
}
