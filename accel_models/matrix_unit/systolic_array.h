#pragma once
// Weight-stationary systolic matrix unit: `arrays` R x C arrays (TPU MXUs), bf16 in / fp32 accumulate, one
// R x C weight tile resident per array, input rows streamed through at one row per cycle.
//
// A GEMM task (task.m rows, task.k reduction, task.n output columns, task.aux independent groups >= 1) is split
// into weight-tile passes: passes = groups * ceil(k / R) * ceil(n / C) (padding waste when k or n is not a multiple
// of the array). Each pass streams all m rows; the pass-rows are spread evenly over the arrays (the compiler splits
// M when passes do not divide evenly). Per array:
//     cycles = weight_load                                   first weight tile shifted in (not hidden)
//            + max(ceil(passes * m / arrays),                stream rows, one per cycle ...
//                  ceil(passes / arrays) * weight_load)      ... unless the double-buffered weight loads are slower
//            + (R + C - 2)                                   fill / drain of the last pass
// time = cycles / clock. At a precision the array runs at `rate` MACs per cell and cycle (SystolicParams::rate,
// from macs_per_cell_per_cycle), the streamed rows take ceil(rows / rate) cycles.
//
// Counters (energy_model.h reads them): "macs" = groups * m * k * n; "sram_bytes", the on-chip memory traffic of
// its operands: every input row is read once per column tile, every weight once, and every output written once per
// row tile as an fp32 partial sum:
//     sram_bytes = groups * (element_bytes * (m * k * ceil(n / C) + k * n) + 4 * m * n * ceil(k / R)).
#include <cstdint>
#include <string>

#include "accel_models/matrix_unit/systolic_params.h"
#include "simulator/unit_model.h"

namespace rp::accel {

class SystolicArray : public sim::IUnitModel {
 public:
  SystolicArray(std::string name, const SystolicParams& p) : name_(std::move(name)), p_(p) {}
  const std::string& name() const override { return name_; }
  sim::Ps service(const sim::Task& task, sim::Ps now) override;
  // Cycles for a GEMM of m x k x n in `groups` independent groups (the formula above).
  int64_t gemm_cycles(int64_t m, int64_t k, int64_t n, int64_t groups = 1) const;
  void reset() override {
    macs_.reset();
    sram_bytes_.reset();
  }
  void register_stats(sim::StatGroup& group) override;

 private:
  std::string name_;
  SystolicParams p_;
  sim::Counter macs_, sram_bytes_;  // replayable: the group memo stays exact (simulator/stats.h)
};

}  // namespace rp::accel
