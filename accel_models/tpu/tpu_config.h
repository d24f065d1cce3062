#pragma once
// Typed, validated configuration of a TPU-like accelerator (one chip of `cores` TensorCores, each with its own
// matrix unit, vector unit, vector memory, DMA engines, sequencer and private HBM). Parsed once from YAML.
#include <cstdint>

#include "accel_models/dma/dma_engine.h"
#include "accel_models/hbm/hbm.h"
#include "accel_models/matrix_unit/systolic_array.h"
#include "accel_models/vector_unit/vector_unit.h"
#include "traces/yaml/yaml_map.h"

namespace rp::accel {

// Software-stack (XLA-like) rules; each can be switched off in the YAML `lowering:` section.
struct TpuLoweringParams {
  bool fuse_elementwise = true;        // elementwise consumers fused into the producer's output (no HBM round trip)
  bool fuse_input_elementwise = true;  // a standalone elementwise op (SE multiply) fused into its consumer conv
  bool fuse_reductions = true;         // global pooling computed in its producer's fusion (multi-output fusion)
  bool fold_batch_norm = true;         // inference batch norm folded into the preceding conv's weights
  bool depthwise_on_vector_unit = true;  // depthwise convs on the VPU (profiled behaviour, paper Sec. 5.1)
  bool vector_lane_padding = true;     // channels on the VPU's lanes: C pads to a multiple of the lane count
  bool split_batch_across_cores = true;  // data parallel over the chip's TensorCores
  int min_tiles = 4;                   // at least this many tiles per fusion, so DMA overlaps compute
  int max_tiles = 16;                  // at most this many simulated tiles per fusion (bounds task count)
  double weight_buffer_fraction = 0.5; // share of vector memory that may hold a fusion's weights
};

struct TpuConfig {
  int cores = 2;
  double clock = 940e6;         // Hz
  SystolicParams matrix;
  VectorParams vector;
  int64_t vmem_bytes = 0;       // vector memory per core
  HbmParams hbm;                // per core
  DmaParams dma;
  SequencerParams sequencer;
  TpuLoweringParams lowering;

  static TpuConfig parse(const traces::YamlMap& root);
  double peak_flops() const { return 2.0 * cores * matrix.peak_macs_per_s(); }
  double hbm_bandwidth() const { return cores * hbm.bandwidth; }
};

}  // namespace rp::accel
