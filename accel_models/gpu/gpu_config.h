#pragma once
// Typed, validated configuration of a GPU (one device: an SM array with tensor cores and CUDA cores, an L2 cache,
// HBM, the SMs' load / store paths to memory and the kernel launch path). Keys, units, bounds and defaults:
// describe() in gpu_config.cpp; sources in the comments of accel_models/configs/v100.yaml and docs/gpu-model.md.
#include "accel_models/dma/dma_params.h"
#include "accel_models/gpu/l2_params.h"
#include "accel_models/gpu/sm_params.h"
#include "accel_models/hbm/hbm_params.h"
#include "accel_models/sequencer/sequencer.h"

namespace rp::accel {

class ParamVisitor;

// Software-stack (cuDNN / TensorRT-like) rules; each can be switched in the YAML `lowering:` section.
struct GpuLoweringParams {
  bool fuse_relu = false;          // ReLU / ReLU6 in the producing kernel's epilogue
  bool fuse_residual_add = false;  // residual add in the producing conv's epilogue (the second operand is read)
  bool fused_swish = false;        // swish / hswish fused like ReLU (the paper's "fused swish" what-if)
  int max_tiles = 0;               // at most this many simulated parts per kernel (bounds the task count)
  double tile_bytes = 0;           // about this much memory traffic per part
};

struct GpuConfig {
  double clock = 0;  // Hz
  SmParams sm;
  L2Params l2;
  HbmParams hbm;
  DmaParams memory;             // the SMs' load (read engines) and store (write engines) paths to HBM
  SequencerParams launch;       // kernel launch overhead
  GpuLoweringParams lowering;

  double peak_flops() const { return 2.0 * sm.peak_macs_per_s(); }
  double hbm_bandwidth() const { return hbm.bandwidth; }
};

// Every key of a GPU config but the identity keys (name, family, precision, default_batch).
void describe(ParamVisitor& v, GpuConfig& c);
// Sets the values derived from others (the SM array's clock).
void derive(GpuConfig& c);

}  // namespace rp::accel
