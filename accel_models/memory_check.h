#pragma once
// The HBM capacity check: a network whose weights, peak live activations and KV cache (traces/network/memory.h) do
// not fit the accelerator's HBM is infeasible, with a one-line reason, never a latency.
//
// Checked per private memory (AcceleratorInfo::memory, hbm_params.h): a GPU has one, the chip's HBM; a TPUv2 / v3
// chip's TensorCores each have their own half of the chip's HBM and cannot use the other's, and the lowering runs the
// batch data parallel over them (split_batch_across_cores), so each core must hold every weight plus its share of
// the batch: needs = weights + ceil(B / parts) / B x (activations + KV cache) <= capacity / memories. With the batch
// not split the whole batch runs on one core and its share. TPUv4's cores are modelled the same way (as its HBM
// bandwidth is). Activations and KV cache scale with the batch; weights do not.
#include <string>

#include "accel_models/common/accelerator.h"
#include "traces/network/memory.h"

namespace rp::accel {

struct MemoryCheck {
  traces::MemoryFootprint footprint;  // of the whole network (every image of the batch)
  double needed = 0;                  // bytes one private memory must hold
  double capacity = 0;                // bytes of one private memory (0: unknown, not checked)
  bool fits = true;
  // When !fits: "needs 41.2 GiB of 16 GiB HBM: weights 0.3 GiB, activations 40.9 GiB" (", KV cache X" when there
  // is one; a TPU core: "of 8 GiB HBM per core (...)").
  std::string reason;
};

MemoryCheck check_memory(const traces::Network& net, const AcceleratorInfo& info);

// Bytes in binary units as the reason line writes them: "41.2 GiB", "300.5 MiB", "512 B"; whole numbers without
// decimals ("16 GiB"). The reason writes every figure in the capacity's unit.
std::string bytes_text(double bytes);

}  // namespace rp::accel
