#pragma once
// Typed, validated configuration of a TPU-like accelerator (one chip of `cores` TensorCores, each with its own
// matrix unit, vector unit, vector memory, DMA engines, sequencer and private HBM). Keys, units, bounds and
// defaults: describe() in tpu_config.cpp.
#include <cstdint>
#include <string>
#include <vector>

#include "accel_models/dma/dma_params.h"
#include "accel_models/energy/energy_params.h"
#include "accel_models/hbm/hbm_params.h"
#include "accel_models/matrix_unit/systolic_params.h"
#include "accel_models/sequencer/sequencer.h"
#include "accel_models/vector_unit/vector_params.h"

namespace rp::accel {

class ParamVisitor;

// Software-stack (XLA-like) rules; each can be switched in the YAML `lowering:` section (defaults in describe()).
struct TpuLoweringParams {
  bool fuse_elementwise = false;          // elementwise consumers fused into the producer's output (no HBM round trip)
  bool fuse_input_elementwise = false;    // a standalone elementwise op (SE multiply) fused into its consumer conv
  bool fuse_reductions = false;           // global pooling computed in its producer's fusion (multi-output fusion)
  bool fold_batch_norm = false;           // inference batch norm folded into the preceding conv's weights
  bool depthwise_on_vector_unit = false;  // depthwise convs on the VPU (profiled behaviour, paper Sec. 5.1)
  bool vector_lane_padding = false;       // channels on the VPU's lanes: C pads to a multiple of the lane count
  bool split_batch_across_cores = false;  // data parallel over the chip's TensorCores
  bool conv_per_tap = false;              // a k x k conv as k^2 accumulated passes of K = Cin (no im2col)
  bool fused_attention = false;           // attention as one flash-style fusion (else QK^T, softmax, AV apart)
  bool grouped_conv_expand = false;       // a grouped conv as one dense conv with a block-diagonal filter (XLA)
  int grouped_conv_expand_max_width = 0;  // ... when its input channels per group are at most this
  bool activation_residency = false;      // a tensor passed to the next fusion stays in vector memory (no HBM trip)
  double residency_fraction = 0;          // ... when it and the weights held fit in this share of vector memory
  bool weight_prefetch = false;           // a fusion's weights load while the previous fusion runs
  bool concat_in_place = false;           // a concat's operands written into its output: no copy (layout.h)
  int min_tiles = 0;                      // at least this many tiles per fusion, so DMA overlaps compute
  int max_tiles = 0;                      // at most this many simulated tiles per fusion (bounds task count)
  double weight_buffer_fraction = 0;      // share of vector memory that may hold a fusion's weights
};

// The software stack (XLA and its runtime) as the `stack:` section: what `ridgepoint calibrate` may fit.
struct TpuStack {
  double dispatch_overhead = 0;      // seconds per fusion (sequencer)
  double hbm_efficiency = 0;         // achieved share of the HBM's streaming bandwidth (before refresh)
  double depthwise_ops_per_mac = 0;  // vector-unit operations per depthwise MAC (window data movement included)
  TpuLoweringParams lowering;
};

struct TpuConfig {
  int cores = 0;
  double clock = 0;       // Hz
  SystolicParams matrix;  // per core
  VectorParams vector;    // per core
  double vmem_bytes = 0;  // vector memory per core
  HbmParams hbm;          // the chip's (YAML); hbm_core: one core's private share
  DmaParams dma;          // per core
  EnergyParams energy;    // the chip's (energy/energy_params.h)
  AreaParams area;
  TpuStack stack;
  // Derived (derive()): the units as configured by the stack.
  HbmParams hbm_core;
  SequencerParams sequencer;
  TpuLoweringParams lowering;

  double peak_flops() const { return 2.0 * cores * matrix.peak_macs_per_s(); }
  double hbm_bandwidth() const { return hbm.bandwidth; }
};

// Every key of a TPU config but the identity keys (name, family, precision, default_batch).
void describe(ParamVisitor& v, TpuConfig& c);
// Sets the values derived from others: the units' clock, the per-core HBM, the stack's values in the units.
void derive(TpuConfig& c);
// The precisions the matrix unit has a rate for.
std::vector<std::string> supported_precisions(const TpuConfig& c);
// Shorthand keys: lowering.X for stack.lowering.X (the software-stack switches, as before they moved there).
std::string key_alias(const TpuConfig& c, const std::string& key);

// The chip's MAC datapaths per cycle per precision, vector ALUs and VMEM, for the area model (area_of).
AreaInputs area_inputs(const TpuConfig& c);

// HBM capacity of the chip in `cores` private shares; the batch split over them when split_batch_across_cores (else
// the whole batch on one core and its share).
MemoryLayout memory_layout(const TpuConfig& c);

}  // namespace rp::accel
