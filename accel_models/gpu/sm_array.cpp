#include "accel_models/gpu/sm_array.h"

#include <algorithm>
#include <cmath>

namespace rp::accel {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

GemmPlan SmArray::plan(int64_t m, int64_t k, int64_t n, int tile) const {
  GemmPlan g;
  if (m <= 0 || k <= 0 || n <= 0) return g;
  const TensorCoreTile& t = p_.tiles.at(static_cast<size_t>(tile));
  g.tile = tile;
  g.blocks = ceil_div(m, t.m) * ceil_div(n, t.n);
  g.waves = ceil_div(g.blocks, int64_t{p_.sms} * t.blocks_per_sm);
  const double k_padded = static_cast<double>(ceil_div(k, p_.k_tile) * p_.k_tile);
  g.block_cycles =
      static_cast<double>(t.m) * t.n * k_padded / (p_.tensor_fma_per_sm_clock() * t.efficiency * p_.tensor_efficiency);
  g.cycles = static_cast<double>(g.waves) * p_.block_overhead_cycles +
             static_cast<double>(ceil_div(g.blocks, p_.sms)) * g.block_cycles;
  return g;
}

GemmPlan SmArray::plan(int64_t m, int64_t k, int64_t n) const {
  GemmPlan best;
  for (size_t i = 0; i < p_.tiles.size(); ++i) {
    const GemmPlan g = plan(m, k, n, static_cast<int>(i));
    if (g.tile < 0) return g;
    if (best.tile < 0 || g.cycles < best.cycles) best = g;
  }
  return best;
}

double SmArray::cuda_cycles(double ops) const {
  if (ops <= 0) return 0;
  const double per_cycle = p_.sms * p_.cuda_cores_per_sm * p_.cuda_ops_per_core_clock * p_.cuda_efficiency;
  return std::ceil(ops / per_cycle);
}

double SmArray::kernel_seconds(int64_t m, int64_t k, int64_t n, double ops) const {
  return (plan(m, k, n).cycles + cuda_cycles(ops)) / p_.clock;
}

void SmArray::count(const sim::Task& task, const GemmPlan& g, int parts) {
  ops_ += task.ops / parts;
  if (g.tile < 0) return;
  const TensorCoreTile& t = p_.tiles[static_cast<size_t>(g.tile)];
  const double m = static_cast<double>(task.m), k = static_cast<double>(task.k), n = static_cast<double>(task.n);
  macs_ += m * k * n / parts;
  sram_bytes_ += p_.element_bytes * (m * k * std::ceil(n / t.n) + k * n * std::ceil(m / t.m) + m * n) / parts;
}

sim::Ps SmArray::service(const sim::Task& task, sim::Ps) {
  const int parts = std::max(1, task.aux);
  const GemmPlan g = plan(task.m, task.k, task.n);
  count(task, g, parts);
  const double gemm = g.cycles, cuda = cuda_cycles(task.ops);
  tensor_busy_ms_ += gemm / p_.clock / parts * 1e3;
  cuda_busy_ms_ += cuda / p_.clock / parts * 1e3;
  return sim::ps_from_seconds((gemm + cuda) / p_.clock / parts);  // kernel_seconds() / parts
}

void SmArray::register_stats(sim::StatGroup& group) {
  group.child("tensor_cores")
      .add("busy_ms", "SM time in tensor-core GEMM main loops and their per-wave overhead", "ms", &tensor_busy_ms_);
  group.child("cuda_cores")
      .add("busy_ms", "SM time in CUDA-core element operations (depthwise, epilogues, ...)", "ms", &cuda_busy_ms_);
  group.add("macs", "multiply-accumulates of its tensor-core GEMMs (a GEMM on CUDA cores counts in element_ops)", "",
            &macs_);
  group.add("element_ops", "CUDA-core element operations (cost-table weighted)", "", &ops_);
  group.add("sram_bytes", "shared-memory operand traffic of its GEMMs", "B", &sram_bytes_);
}

}  // namespace rp::accel
