#include "accel_models/matrix_unit/systolic_params.h"

#include "accel_models/config/param.h"

namespace rp::accel {

void describe(ParamVisitor& v, SystolicParams& p) {
  using S = ParamSpec;
  v.integer("arrays", p.arrays, S::count("", "matrix units (MXUs) per core").at_most(64));
  // 4096 x 4096 is 1024 times the 128 x 128 arrays of TPUv2-v4; larger arrays are no design anyone simulates and
  // their tile arithmetic (rows x cols x tiles) would leave 32 bits.
  v.integer("rows", p.rows, S::count("", "array rows (reduction dimension K per pass)").at_most(4096));
  v.integer("cols", p.cols, S::count("", "array columns (output columns N per pass)").at_most(4096));
  v.integer("weight_load_cycles", p.weight_load_cycles,
            S::count("cycles", "cycles to shift one weight tile in").at_most(65536));
  describe_rates(v, "macs_per_cell_per_cycle", p.rates, "multiply-accumulates per array cell and cycle");
}

}  // namespace rp::accel
