#pragma once
// Typed, validated configuration of a GPU (one device: an SM array with tensor cores and CUDA cores, an L2 cache,
// HBM, the SMs' load / store paths to memory and the kernel launch path). Parsed once from YAML; the keys and
// their sources are documented in docs/gpu-model.md and in the comments of accel_models/configs/v100.yaml.
#include <cstdint>

#include "accel_models/dma/dma_engine.h"
#include "accel_models/gpu/l2_cache.h"
#include "accel_models/gpu/sm_array.h"
#include "accel_models/hbm/hbm.h"
#include "accel_models/vector_unit/vector_unit.h"
#include "traces/yaml/yaml_map.h"

namespace rp::accel {

// Software-stack (cuDNN / TensorRT-like) rules; each can be switched in the YAML `lowering:` section.
struct GpuLoweringParams {
  bool fuse_relu = true;          // ReLU / ReLU6 in the producing kernel's epilogue
  bool fuse_residual_add = true;  // residual add in the producing conv's epilogue (the second operand is read)
  bool fused_swish = false;       // swish / hswish fused like ReLU (the paper's "fused swish" what-if)
  int max_tiles = 8;              // at most this many simulated parts per kernel (bounds the task count)
  double tile_bytes = 1 << 20;    // about this much memory traffic per part (YAML tile_kib)
};

struct GpuConfig {
  double clock = 1e9;  // Hz
  SmParams sm;
  L2Params l2;
  HbmParams hbm;
  DmaParams memory;             // the SMs' load (read engines) and store (write engines) paths to HBM
  SequencerParams launch;       // kernel launch overhead
  GpuLoweringParams lowering;

  static GpuConfig parse(const traces::YamlMap& root);
  double peak_flops() const { return 2.0 * sm.peak_macs_per_s(); }
  double hbm_bandwidth() const { return hbm.bandwidth; }
};

}  // namespace rp::accel
