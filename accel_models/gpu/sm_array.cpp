#include "accel_models/gpu/sm_array.h"

#include <algorithm>
#include <cmath>

#include "accel_models/config/param_checks.h"

namespace rp::accel {
namespace {

double unit_fraction(const traces::YamlMap& m, const std::string& key) {
  const double v = positive(m, key);
  if (v > 1) m.fail(key, "must be in (0, 1], got " + m.str(key));
  return v;
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

SmParams SmParams::parse(const traces::YamlMap& tc, const traces::YamlMap& cuda) {
  SmParams p;
  tc.reject_unknown({"per_sm", "fma_per_clock", "k_tile", "block_overhead_cycles", "tiles"});
  p.tensor_cores_per_sm = static_cast<int>(positive_int(tc, "per_sm"));
  p.fma_per_tensor_core_clock = static_cast<int>(positive_int(tc, "fma_per_clock"));
  p.k_tile = static_cast<int>(positive_int(tc, "k_tile"));
  p.block_overhead_cycles = non_negative(tc, "block_overhead_cycles");
  const traces::YamlMap tiles = tc.map("tiles");
  for (const std::string& name : tiles.keys()) {
    const traces::YamlMap t = tiles.map(name);
    t.reject_unknown({"m", "n", "blocks_per_sm", "efficiency"});
    TensorCoreTile tile;
    tile.name = name;
    tile.m = static_cast<int>(positive_int(t, "m"));
    tile.n = static_cast<int>(positive_int(t, "n"));
    tile.blocks_per_sm = static_cast<int>(positive_int(t, "blocks_per_sm"));
    tile.efficiency = unit_fraction(t, "efficiency");
    p.tiles.push_back(tile);
  }
  if (p.tiles.empty()) tc.fail("tiles", "must list at least one tile shape");

  cuda.reject_unknown({"per_sm", "ops_per_core_per_clock", "efficiency", "cost_per_element"});
  p.cuda_cores_per_sm = static_cast<int>(positive_int(cuda, "per_sm"));
  p.cuda_ops_per_core_clock = positive(cuda, "ops_per_core_per_clock");
  p.cuda_efficiency = unit_fraction(cuda, "efficiency");
  p.costs = VectorCosts::parse(cuda.map("cost_per_element"));
  return p;
}

GemmPlan SmArray::plan(int64_t m, int64_t k, int64_t n, int tile) const {
  GemmPlan g;
  if (m <= 0 || k <= 0 || n <= 0) return g;
  const TensorCoreTile& t = p_.tiles.at(static_cast<size_t>(tile));
  g.tile = tile;
  g.blocks = ceil_div(m, t.m) * ceil_div(n, t.n);
  g.waves = ceil_div(g.blocks, int64_t{p_.sms} * t.blocks_per_sm);
  const double k_padded = static_cast<double>(ceil_div(k, p_.k_tile) * p_.k_tile);
  g.block_cycles = static_cast<double>(t.m) * t.n * k_padded / (p_.tensor_fma_per_sm_clock() * t.efficiency);
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

sim::Ps SmArray::service(const sim::Task& task, sim::Ps) {
  const int parts = std::max(1, task.aux);
  return sim::ps_from_seconds(kernel_seconds(task.m, task.k, task.n, task.ops) / parts);
}

}  // namespace rp::accel
