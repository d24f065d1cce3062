// Every op of HURRICANE's pool in its two forms: the network IR (traces/zoo/op_pool.h; what the simulator runs) and
// the LibTorch module built from it (nas/train/ir_module.h; what the supernet trains). The IR derives shapes and
// parameter counts by formula; the module computes them by running LibTorch, so the two are independent.
#include <catch2/catch.hpp>

#include <vector>

#include "nas/train/ir_probe.h"
#include "traces/zoo/layerwise_net.h"

using namespace rp;

TEST_CASE("op pool: LibTorch module and IR agree on output shape and parameter count for every op") {
  const traces::Skeleton sk = traces::proxy_skeleton(traces::default_skeleton(20));
  const std::vector<traces::Slot> slots = traces::slots(sk);
  // A stage entry (stride 2, 16 -> 40 channels, 14 x 14 -> 7 x 7) and a repeat (stride 1, 40 -> 40 at 7 x 7).
  for (const traces::Slot& s : {slots[4], slots[5]}) {
    for (const traces::OpSpec& op : traces::op_pool()) {
      const traces::Network ir = traces::op_network(sk, s, op, 2, traces::DType::kF32);
      const traces::Shape out = ir.layers().back().output;
      const std::vector<float> x(static_cast<size_t>(2 * s.in_channels * s.in_h * s.in_w), 0.5f);
      INFO(op.name() << " at layer " << s.index);
      CHECK(nas::forward_ir(ir, x).size() == static_cast<size_t>(out.n * out.c * out.h * out.w));
      CHECK(nas::module_params(ir) == ir.params());
    }
  }
}
