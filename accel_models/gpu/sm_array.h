#pragma once
// The GPU's streaming multiprocessors (SMs) as one unit: kernels run one at a time (one stream), each occupying the
// whole SM array. Two datapaths, both timed per kernel:
//
// Tensor cores (GEMMs: convolutions as implicit GEMMs, dense layers). The kernel's output is cut into CTA tiles of
// tile.m x tile.n (thread blocks); each CTA runs the whole K loop in k_tile steps. Up to tile.blocks_per_sm CTAs
// are resident on an SM at once and share its tensor cores; CTAs are dealt round-robin over the SMs. For a tile:
//     blocks       = ceil(M / tile.m) * ceil(N / tile.n)
//     waves        = ceil(blocks / (sms * tile.blocks_per_sm))
//     block_cycles = tile.m * tile.n * ceil(K / k_tile) * k_tile
//                    / (tensor_cores_per_sm * fma_per_tensor_core_clock * tile.efficiency
//                       * tensor_efficiency)                                                   one CTA's main loop
//     gemm_cycles  = waves * block_overhead_cycles + ceil(blocks / sms) * block_cycles
// i.e. every wave pays the prologue / epilogue once, and the busiest SM runs ceil(blocks / sms) main loops. With
// one CTA per SM this is waves * (block_overhead + block_cycles): wave quantization, a partial last wave takes as
// long as a full one (81 CTAs on 80 SMs take two block times).
// The kernel uses the tile shape with the fewest cycles (first listed on a tie), as cuDNN / TensorRT pick a
// tactic. tile.efficiency is the hardware tile's utilisation, tensor_efficiency the software stack's share of it
// (stack.profiles.*.tensor_efficiency). Efficiency therefore depends on the tile shape (tile.efficiency, padding waste of M and N against the
// tile), on M and N (wave quantization) and on K (k_tile padding, the fixed per-wave overhead).
//
// CUDA cores (depthwise convolutions, elementwise ops, pooling, reductions, layout copies, and the fused epilogue
// of a GEMM kernel): task.ops element operations, already weighted by the cost table (lowering/element_ops.h), at
//     cuda_cycles = ceil(ops / (sms * cuda_cores_per_sm * cuda_ops_per_core_clock * cuda_efficiency)).
//
// A compute task describes its whole kernel: task.m, task.k, task.n the GEMM (m = 0: none), task.ops the CUDA-core
// operations, task.aux the number of equal parts (>= 1) the lowering cut the kernel into so that its memory traffic
// overlaps compute; the task is one part:
//     time = (gemm_cycles + cuda_cycles) / clock / parts.
// Quantization is thus decided over the whole kernel, not per part.
//
// Counters (energy_model.h reads them), per part (1 / parts of the kernel): "macs" = m * k * n, "element_ops" =
// task.ops, and "sram_bytes", the on-chip (shared memory) operand traffic of the GEMM with its chosen tile: A is
// read once per column of CTA tiles, B once per row of them, C written once:
//     sram_bytes = element_bytes * (m * k * ceil(n / tile.n) + k * n * ceil(m / tile.m) + m * n).
#include <cstdint>
#include <string>
#include <vector>

#include "accel_models/gpu/sm_params.h"
#include "simulator/unit_model.h"

namespace rp::accel {

struct GemmPlan {
  int tile = -1;  // index into SmParams::tiles; -1: no GEMM
  int64_t blocks = 0, waves = 0;
  double block_cycles = 0, cycles = 0;
};

class SmArray : public sim::IUnitModel {
 public:
  SmArray(std::string name, const SmParams& p) : name_(std::move(name)), p_(p) {}
  const std::string& name() const override { return name_; }
  sim::Ps service(const sim::Task& task, sim::Ps now) override;
  void reset() override {
    for (sim::Counter* c : {&tensor_busy_ms_, &cuda_busy_ms_, &macs_, &ops_, &sram_bytes_}) c->reset();
  }
  // Datapaths: "tensor_cores" and "cuda_cores", each with busy_ms (the share of the SM time spent on it).
  void register_stats(sim::StatGroup& group) override;

  GemmPlan plan(int64_t m, int64_t k, int64_t n, int tile) const;  // the formula above for one tile shape
  GemmPlan plan(int64_t m, int64_t k, int64_t n) const;            // the fastest tile shape
  double cuda_cycles(double ops) const;
  double kernel_seconds(int64_t m, int64_t k, int64_t n, double ops) const;  // the whole kernel

 private:
  std::string name_;
  SmParams p_;
  sim::Counter tensor_busy_ms_, cuda_busy_ms_;
  sim::Counter macs_, ops_, sram_bytes_;  // energy_model.h reads them
  void count(const sim::Task& task, const GemmPlan& g, int parts);
};

}  // namespace rp::accel
