#pragma once
// Typed parameters of a GPU's SM array (sm_array.h): tensor cores and CUDA cores.
#include <string>
#include <vector>

#include "accel_models/config/precision_rates.h"
#include "accel_models/lowering/element_ops.h"

namespace rp::accel {

class ParamVisitor;

struct TensorCoreTile {
  std::string name;       // YAML key, e.g. "large"
  int m = 0, n = 0;       // CTA output tile (rows of M x columns of N)
  int blocks_per_sm = 0;  // CTAs resident per SM at once (they share its tensor cores)
  double efficiency = 0;  // tensor-core utilisation in the main loop, in (0, 1]
};

struct SmParams {
  int sms = 0;
  double clock = 0;  // Hz: the chip clock
  int tensor_cores_per_sm = 0;
  PrecisionRates tensor_fma;  // FMA per tensor core and clock, per precision (0: not supported)
  PrecisionRates cuda_ops;    // element operations per CUDA core and clock, per precision
  // At the run's precision (set when the accelerator is built): a precision the tensor cores lack runs its GEMMs
  // on the CUDA cores (fma_per_tensor_core_clock = 0).
  double fma_per_tensor_core_clock = 0;
  int k_tile = 0;                     // K step of the main loop; K is padded to a multiple of it
  double block_overhead_cycles = 0;   // per wave: prologue (first operand loads) and epilogue (output write)
  std::vector<TensorCoreTile> tiles;  // the tile menu, at least one
  int cuda_cores_per_sm = 0;
  double cuda_ops_per_core_clock = 0;
  double cuda_efficiency = 0;       // in (0, 1]: the software stack's achieved share (GpuStack)
  double cuda_gemm_efficiency = 0;  // in (0, 1]: the same for GEMMs on CUDA cores
  double tensor_efficiency = 1;     // in (0, 1]: the stack's achieved share of each tile's main-loop rate
  ElementCosts costs;               // read by the lowering (element_ops.h), not by the unit
  int element_bytes = 2;            // operand bytes at the run's precision (set when the accelerator is built)

  double tensor_fma_per_sm_clock() const {
    return static_cast<double>(tensor_cores_per_sm) * fma_per_tensor_core_clock;
  }
  double peak_macs_per_s() const { return sms * tensor_fma_per_sm_clock() * clock; }
  double cuda_ops_per_s() const { return sms * cuda_cores_per_sm * cuda_ops_per_core_clock * cuda_efficiency * clock; }
};

// The `tensor_cores` section (per_sm, fma_per_clock.<precision>, k_tile, tiles.NAME.{m, n, blocks_per_sm,
// efficiency}) and the `cuda_cores` section (per_sm, ops_per_core_per_clock.<precision>, cost_per_element).
// `sms` and the clock are top-level keys of the GPU config; the stack's figures (block overhead, CUDA-core
// efficiency) are in its `stack:` section.
void describe_tensor_cores(ParamVisitor& v, SmParams& p);
void describe_cuda_cores(ParamVisitor& v, SmParams& p);

}  // namespace rp::accel
