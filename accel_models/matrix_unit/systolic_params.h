#pragma once
// Typed parameters of a weight-stationary systolic matrix unit (systolic_array.h).
namespace rp::accel {

class ParamVisitor;

struct SystolicParams {
  int arrays = 0;
  int rows = 0, cols = 0;
  int weight_load_cycles = 0;
  double clock = 0;  // Hz: the chip clock (not a key of this section)
  double peak_macs_per_s() const { return static_cast<double>(arrays) * rows * cols * clock; }
};

// The `matrix_unit` section: arrays, rows, cols, weight_load_cycles.
void describe(ParamVisitor& v, SystolicParams& p);

}  // namespace rp::accel
