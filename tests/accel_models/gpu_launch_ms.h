#pragma once
// The GPU launch switches' tests (compiled_graph_test.cpp, dispatch_per_op_test.cpp): a trace simulated with the
// framework's launch L = 1 ms (stack.launch_overhead_ns) and the driver's C = 1 us (stack.compiled_launch_ns), so a
// launch is far longer than any kernel of a small trace, and without HBM refresh, so a kernel takes the same time
// whenever it runs: differences between runs are whole multiples of L and C, derived by hand.
#include <string>
#include <vector>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"

namespace rp::test {

// Every shipped GPU config: a switch that is off by default must leave each of them unchanged.
inline const std::vector<std::string>& shipped_gpus() {
  static const std::vector<std::string> g = {"v100", "v100-modern", "a100", "a100-modern", "h100", "h100-modern"};
  return g;
}

// Latency in ms of `net` on the built-in GPU `accel` with L and C as above. `switches`: lowering switches, "NAME"
// (set to true) or "NAME=VALUE".
inline double launch_ms(const traces::Network& net, const std::vector<std::string>& switches,
                        const std::string& accel = "v100") {
  std::vector<std::string> set = {"stack.launch_overhead_ns=1000000", "stack.compiled_launch_ns=1000",
                                  "hbm.refresh_fraction=0"};
  for (const auto& sw : switches) set.push_back("lowering." + sw + (sw.find('=') == std::string::npos ? "=true" : ""));
  return accel::simulate(net, *accel::make_accelerator(accel, set)).latency_ms;
}

}  // namespace rp::test
