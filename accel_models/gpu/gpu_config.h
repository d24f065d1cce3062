#pragma once
// Typed, validated configuration of a GPU (one device: an SM array with tensor cores and CUDA cores, an L2 cache,
// HBM, the SMs' load / store paths to memory and the kernel launch path). Keys, units, bounds and defaults:
// describe() in gpu_config.cpp; sources in the comments of accel_models/configs/v100.yaml and docs/gpu-model.md.
#include <string>
#include <vector>

#include "accel_models/dma/dma_params.h"
#include "accel_models/energy/energy_params.h"
#include "accel_models/gpu/l2_params.h"
#include "accel_models/gpu/sm_params.h"
#include "accel_models/hbm/hbm_params.h"
#include "accel_models/sequencer/sequencer.h"

namespace rp::accel {

class ParamVisitor;

// Software-stack (cuDNN / TensorRT-like) rules; each can be switched in the YAML `lowering:` section.
struct GpuLoweringParams {
  bool fuse_relu = false;             // ReLU / ReLU6 in the producing kernel's epilogue
  bool fuse_residual_add = false;     // residual add in the producing conv's epilogue (the second operand is read)
  bool fused_swish = false;           // swish / hswish fused like ReLU (the paper's "fused swish" what-if)
  bool fused_attention = false;       // attention as one flash-style kernel (else QK^T, softmax, AV apart)
  int max_tiles = 0;                  // at most this many simulated parts per kernel (bounds the task count)
  double tile_bytes = 0;              // about this much memory traffic per part
  bool activation_residency = false;  // a tensor only the next kernel reads stays in L2: its HBM write not issued
  bool weight_prefetch = false;       // a kernel's weights load while the previous kernel runs
  bool grouped_conv_packed = false;   // a grouped conv's groups side by side in the CTA tile's N (else along M)
  int grouped_conv_n_granule = 0;     // ... each group's output channels padded to this (the MMA instruction's n)
  int cuda_gemm_n_granule = 0;        // a GEMM on the CUDA cores issues each group's N padded to this (0: unpadded)
  bool concat_in_place = false;       // a concat's operands written into its output: no copy kernel (layout.h)
  bool async_launch = false;          // launches run ahead of the kernels (one stream): a launch waits only for
                                      // the previous launch, a kernel for its launch and the previous kernel
  bool compiled_graph = false;        // a compiled graph (XLA) launches the kernels: each kernel but a convolution
                                      // pays compiled_launch_ns instead of launch_overhead_ns
  bool graph_executor = false;        // a C++ graph executor (TensorFlow without XLA) dispatches the ops: each
                                      // kernel but a convolution pays compiled_launch_ns, as under compiled_graph
  bool dispatch_per_op = false;       // eager dispatch: a kernel pays launch_overhead_ns once per framework op it
                                      // stands for (conv, batch norm, activation, add: separate eager ops)
};

// One software-stack profile (`stack.profiles.NAME`): what the framework, cuDNN / TensorRT and the runtime
// achieve on the hardware, as fractions of hardware figures where there is one, so they scale with it.
struct GpuStack {
  std::string name;                  // "paper", "modern", ...
  double launch_overhead = 0;        // seconds per kernel: launch and framework dispatch
  double compiled_launch = 0;        // seconds per kernel but a convolution under compiled_graph / graph_executor
  double hbm_efficiency = 0;         // achieved share of the HBM streaming bandwidth (before refresh)
  double cuda_efficiency = 0;        // achieved share of the CUDA-core rate in element operations
  double cuda_gemm_efficiency = 0;   // achieved share of the CUDA-core rate in GEMMs the tensor cores cannot run
  double block_overhead_cycles = 0;  // per wave of thread blocks: prologue loads and epilogue
  double tensor_efficiency = 0;      // achieved share of the tensor-core tiles' main-loop rate
  double depthwise_ops_per_mac = 0;  // CUDA-core operations per depthwise MAC
  GpuLoweringParams lowering;
};

struct GpuConfig {
  double clock = 0;  // Hz
  SmParams sm;
  L2Params l2;
  HbmParams hbm;
  DmaParams memory;     // the SMs' load (read engines) and store (write engines) paths to HBM
  EnergyParams energy;  // the chip's (energy/energy_params.h)
  AreaParams area;
  std::string profile;  // stack.profile: the active one of `profiles`
  std::vector<GpuStack> profiles;
  // Derived (derive()): the active profile's values in the units.
  SequencerParams launch;  // kernel launch overhead
  GpuLoweringParams lowering;

  double peak_flops() const;  // at the precision set in `sm` (tensor cores, or CUDA cores when they lack it)
  double hbm_bandwidth() const { return hbm.bandwidth; }
  const GpuStack* active_profile() const;  // nullptr if `profile` names none
};

// Every key of a GPU config but the identity keys (name, family, precision, default_batch).
void describe(ParamVisitor& v, GpuConfig& c);
// Sets the values derived from others: the SM array's clock, the active stack profile's values in the units.
void derive(GpuConfig& c);
// The precisions the tensor cores or the CUDA cores have a rate for.
std::vector<std::string> supported_precisions(const GpuConfig& c);
// Shorthand keys for the active profile: stack.X for stack.profiles.<profile>.X, and lowering.X for
// stack.profiles.<profile>.lowering.X.
std::string key_alias(const GpuConfig& c, const std::string& key);

// The chip's tensor-core MAC datapaths per cycle per precision, CUDA cores and L2, for the area model (area_of).
AreaInputs area_inputs(const GpuConfig& c);

// HBM capacity of the chip: one memory, the whole batch in it.
MemoryLayout memory_layout(const GpuConfig& c);

}  // namespace rp::accel
