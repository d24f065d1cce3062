#pragma once
// The TPUv3 model pinned so that hand derivations stay short (concat_test.cpp, residency_test.cpp): one TensorCore
// takes the whole batch and every op runs as one tile, plus the test's own `--set` overrides. Header-only.
#include <string>
#include <vector>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "traces/network/network.h"

namespace rp::test {

inline sim::SimResult tpu_one_tile(const traces::Network& net, std::vector<std::string> extra) {
  std::vector<std::string> sets = {"lowering.split_batch_across_cores=false", "lowering.min_tiles=1",
                                   "lowering.max_tiles=1"};
  sets.insert(sets.end(), extra.begin(), extra.end());
  return accel::simulate(net, *accel::make_accelerator("tpuv3", sets));
}

}  // namespace rp::test
