#include "accel_models/matrix_unit/systolic_params.h"

#include "accel_models/config/param.h"

namespace rp::accel {

void describe(ParamVisitor& v, SystolicParams& p) {
  using S = ParamSpec;
  v.integer("arrays", p.arrays, S::count("", "matrix units (MXUs) per core"));
  v.integer("rows", p.rows, S::count("", "array rows (reduction dimension K per pass)"));
  v.integer("cols", p.cols, S::count("", "array columns (output columns N per pass)"));
  v.integer("weight_load_cycles", p.weight_load_cycles, S::count("cycles", "cycles to shift one weight tile in"));
  describe_rates(v, "macs_per_cell_per_cycle", p.rates, "multiply-accumulates per array cell and cycle");
}

}  // namespace rp::accel
