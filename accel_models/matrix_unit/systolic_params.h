#pragma once
// Typed parameters of a weight-stationary systolic matrix unit (systolic_array.h).
#include "accel_models/config/precision_rates.h"

namespace rp::accel {

class ParamVisitor;

struct SystolicParams {
  int arrays = 0;
  int rows = 0, cols = 0;
  int weight_load_cycles = 0;
  PrecisionRates rates;   // MACs per array cell and cycle, per precision (0: not supported)
  double rate = 1;        // the rate at the run's precision (set when the accelerator is built)
  double clock = 0;       // Hz: the chip clock (not a key of this section)
  int element_bytes = 2;  // operand bytes at the run's precision (set when the accelerator is built)
  double peak_macs_per_s() const { return static_cast<double>(arrays) * rows * cols * rate * clock; }
};

// The `matrix_unit` section: arrays, rows, cols, weight_load_cycles, macs_per_cell_per_cycle.<precision>.
void describe(ParamVisitor& v, SystolicParams& p);

}  // namespace rp::accel
