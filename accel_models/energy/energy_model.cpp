#include "accel_models/energy/energy_model.h"

namespace rp::accel {

EnergyCounters energy_counters(const sim::SimResult& r, double transfer_bytes) {
  EnergyCounters c;
  for (const auto& u : r.units) {
    for (const auto& s : u.stats) {
      if (s.name == "macs") c.macs += s.value;
      if (s.name == "element_ops") c.element_ops += s.value;
      if (s.name == "sram_bytes") c.sram_bytes += s.value;
    }
  }
  c.sram_bytes += transfer_bytes;
  c.hbm_bytes = r.hbm_bytes;
  return c;
}

void apply_energy(sim::SimResult& r, const EnergyCounters& c, const EnergyRates& e) {
  constexpr double kPj = 1e-12;
  const double seconds = r.latency_ms * 1e-3;
  r.energy_matrix_j = c.macs * e.mac_pj * kPj;
  r.energy_vector_j = c.element_ops * e.op_pj * kPj;
  r.energy_onchip_j = c.sram_bytes * e.sram_pj_per_byte * kPj;
  r.energy_hbm_j = c.hbm_bytes * 8.0 * e.hbm_pj_per_bit * kPj;
  r.energy_static_j = e.static_w * seconds;
  r.energy_j = r.energy_matrix_j + r.energy_vector_j + r.energy_onchip_j + r.energy_hbm_j + r.energy_static_j;
  const double batch = static_cast<double>(r.batch);
  r.energy_per_inference_mj = batch > 0 ? r.energy_j / batch * 1e3 : 0;
  r.average_power_w = seconds > 0 ? r.energy_j / seconds : 0;
  r.tops_per_w = r.energy_j > 0 ? r.flops / r.energy_j * 1e-12 : 0;
  r.inferences_per_j = r.energy_j > 0 ? batch / r.energy_j : 0;
}

}  // namespace rp::accel
