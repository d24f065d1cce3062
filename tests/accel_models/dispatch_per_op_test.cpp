// The GPU stack switch dispatch_per_op (issue 25 item 2; docs/gpu-model.md, "Per-op dispatch"): an eager framework
// dispatches each op, so a kernel that carries a convolution's batch norm and activation pays the framework's
// launch once per op, not once per kernel. Times derived by hand on a small trace.
#include <catch2/catch.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "tests/accel_models/gpu_launch_ms.h"
#include "tests/accel_models/memo_twice.h"

using namespace rp;

namespace {

// x (2, 8, 8, 16) -> conv 1x1 to 16 channels -> batch norm -> ReLU -> global average pool -> dense to 10: on the
// GPU three kernels (docs/gpu-model.md: batch norm and ReLU join the conv's kernel, global pooling is a kernel of
// its own, a dense layer a GEMM). The conv's kernel stands for 3 framework ops, the other two for 1 each.
traces::Network conv_bn_relu() {
  traces::Network net("conv_bn_relu", traces::DType::kF16);
  const int x = net.add_input("x", {2, 8, 8, 16});
  traces::ConvAttrs a;
  a.filters = 16;
  const int c = net.add_conv2d("conv", x, a);
  const int b = net.add_batch_norm("bn", c);
  const int r = net.add_activation("relu", b, traces::Act::kReLU);
  const int p = net.add_global_avg_pool("pool", r);
  net.add_dense("fc", p, 10);
  return net;
}

// The framework's launch L = 1 ms, the driver's C = 1 us (gpu_launch_ms.h).
double v100_ms(const std::vector<std::string>& switches, const std::string& accel = "v100") {
  return test::launch_ms(conv_bn_relu(), switches, accel);
}

}  // namespace

TEST_CASE("stack switch dispatch_per_op: a kernel pays the framework's launch once per op it stands for (GPU, by hand)",
          "[gpu][stack]") {
  // Launches in series with the kernels (async_launch off): T = sum of the launches + sum e_k, the kernels' own
  // times e_k independent of the switch. Off: 3 kernels x L. On: (3 + 1 + 1) x L. T_on - T_off = 2 L = 2 ms.
  const double off = v100_ms({});
  CHECK(v100_ms({"dispatch_per_op"}) - off == Approx(2.0).epsilon(1e-9));
  // Under TensorFlow's executor every kernel pays once: the conv's kernel L, pool and fc C each; the switch adds
  // nothing (T = L + 2 C + sum e_k either way), and that is 2 (L - C) = 1.998 ms below the eager run without it.
  const double executor = v100_ms({"graph_executor"});
  CHECK(v100_ms({"graph_executor", "dispatch_per_op"}) == executor);
  CHECK(off - executor == Approx(1.998).epsilon(1e-9));
  // Asynchronous launch (docs/gpu-model.md): the host issues 5 L of launches one after another and every kernel
  // here is far shorter than L, so the run is launch-bound: T = 5 L + the last kernel's e. Without the switch,
  // 3 L + e. The difference is again 2 L.
  CHECK(v100_ms({"async_launch", "dispatch_per_op"}) - v100_ms({"async_launch"}) == Approx(2.0).epsilon(1e-6));
  // Off in every shipped GPU profile: unset is the same run as false (were it on, the unset run would be 2 ms slower).
  for (const std::string& accel : test::shipped_gpus()) {
    CAPTURE(accel);
    CHECK(v100_ms({}, accel) == v100_ms({"dispatch_per_op=false"}, accel));
  }
}

TEST_CASE("stack switch dispatch_per_op: the memo agrees with a full run", "[gpu][stack][memo]") {
  // Groups run back to back (async_launch off), so the memo records and assembles; its figures are the full run's.
  const auto counts =
      test::memo_twice(conv_bn_relu(), *accel::make_accelerator("v100-modern", {"lowering.dispatch_per_op=true"}));
  CHECK(counts.assembled == 1);
  CHECK(counts.full_runs == 1);
}
