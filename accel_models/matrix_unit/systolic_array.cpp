#include "accel_models/matrix_unit/systolic_array.h"

#include <algorithm>
#include <cmath>

namespace rp::accel {

int64_t SystolicArray::gemm_cycles(int64_t m, int64_t k, int64_t n, int64_t groups) const {
  if (m <= 0 || k <= 0 || n <= 0) return 0;
  auto ceil_div = [](int64_t a, int64_t b) { return (a + b - 1) / b; };
  const int64_t passes = std::max<int64_t>(1, groups) * ceil_div(k, p_.rows) * ceil_div(n, p_.cols);
  int64_t rows_per_array = ceil_div(passes * m, p_.arrays);
  // A precision the array runs at `rate` MACs per cell and cycle streams `rate` rows per cycle.
  if (p_.rate != 1) rows_per_array = static_cast<int64_t>(std::ceil(static_cast<double>(rows_per_array) / p_.rate));
  const int64_t tiles_per_array = ceil_div(passes, p_.arrays);
  const int64_t wl = p_.weight_load_cycles;
  return wl + std::max(rows_per_array, tiles_per_array * wl) + (p_.rows + p_.cols - 2);
}

sim::Ps SystolicArray::service(const sim::Task& task, sim::Ps) {
  if (task.m > 0 && task.k > 0 && task.n > 0) {
    const double g = std::max<int32_t>(1, task.aux), m = static_cast<double>(task.m);
    const double k = static_cast<double>(task.k), n = static_cast<double>(task.n);
    const double col_tiles = std::ceil(n / p_.cols), row_tiles = std::ceil(k / p_.rows);
    macs_ += g * m * k * n;
    sram_bytes_ += g * (p_.element_bytes * (m * k * col_tiles + k * n) + 4.0 * m * n * row_tiles);
  }
  return sim::ps_from_seconds(static_cast<double>(gemm_cycles(task.m, task.k, task.n, task.aux)) / p_.clock);
}

void SystolicArray::register_stats(sim::StatGroup& group) {
  group.add("macs", "multiply-accumulates executed", "", &macs_);
  group.add("sram_bytes", "on-chip memory traffic of its operands (inputs, weights, partial sums)", "B", &sram_bytes_);
}

}  // namespace rp::accel
