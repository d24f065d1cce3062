#include "accel_models/energy/energy_params.h"

#include <algorithm>

#include "accel_models/config/param.h"

namespace rp::accel {
namespace {

// A mapping with one non-negative real per precision in `unit` (0: not stated).
void describe_per_precision(ParamVisitor& v, const std::string& key, PrecisionRates& r, const std::string& unit,
                            const std::string& what) {
  v.group(key, [&](ParamVisitor& g) {
    const auto& all = traces::all_dtypes();
    for (size_t i = 0; i < all.size(); ++i) {
      const std::string name = traces::dtype_name(all[i]);
      g.real(name, r.rate[i],
             ParamSpec::non_negative(unit, 1, what + " at " + name + " (0: not stated)").or_default(0).at_most(1e6));
    }
  });
}

}  // namespace

EnergyRates energy_at(const EnergyParams& p, traces::DType t, bool op_fp32_fallback) {
  EnergyRates e;
  e.mac_pj = p.mac_pj.at(t);
  e.op_pj = p.op_pj.at(t);
  if (e.op_pj == 0 && op_fp32_fallback) e.op_pj = p.op_pj.at(traces::DType::kF32);
  e.sram_pj_per_byte = p.sram_pj_per_byte;
  e.hbm_pj_per_bit = p.hbm_pj_per_bit;
  e.static_w = p.static_w;
  e.power_budget_w = p.power_budget_w;
  return e;
}

AreaBreakdown area_of(const AreaParams& p, const AreaInputs& in) {
  AreaBreakdown a;
  for (size_t i = 0; i < in.macs_per_cycle.rate.size(); ++i) {
    a.matrix_mm2 = std::max(a.matrix_mm2, in.macs_per_cycle.rate[i] * p.mac_um2.rate[i] * 1e-6);
  }
  a.vector_mm2 = in.alus * p.alu_um2 * 1e-6;
  a.sram_mm2 = (in.sram_mib + p.extra_sram_mib) * p.sram_mm2_per_mib;
  a.hbm_phy_mm2 = p.hbm_stacks * p.hbm_phy_mm2;
  a.other_mm2 = p.other_mm2;
  a.total_mm2 = a.matrix_mm2 + a.vector_mm2 + a.sram_mm2 + a.hbm_phy_mm2 + a.other_mm2;
  return a;
}

void describe_energy(ParamVisitor& v, EnergyParams& p) {
  using S = ParamSpec;
  describe_per_precision(v, "mac_pj", p.mac_pj, "pJ", "energy per MAC of the matrix unit / tensor cores");
  describe_per_precision(v, "op_pj", p.op_pj, "pJ", "energy per element operation of the vector unit / CUDA cores");
  v.real("sram_pj_per_byte", p.sram_pj_per_byte,
         S::non_negative("pJ", 1, "on-chip memory energy per byte read or written (0: not stated)")
             .or_default(0)
             .at_most(1e6));
  v.real(
      "hbm_pj_per_bit", p.hbm_pj_per_bit,
      S::non_negative("pJ", 1, "HBM energy per bit moved, read or written (0: not stated)").or_default(0).at_most(1e6));
  v.real("static_w", p.static_w,
         S::non_negative("W", 1, "leakage and idle power of the chip, drawn for the whole run (0: not stated)")
             .or_default(0)
             .at_most(1e6));
  v.real("power_budget_w", p.power_budget_w,
         S::non_negative("W", 1, "power budget: a run whose average power exceeds it is infeasible (0: none)")
             .or_default(0)
             .at_most(1e6));
}

void describe_area(ParamVisitor& v, AreaParams& p) {
  using S = ParamSpec;
  describe_per_precision(v, "mac_um2", p.mac_um2, "um^2", "area per MAC datapath of the matrix unit / tensor cores");
  v.real("alu_um2", p.alu_um2,
         S::non_negative("um^2", 1, "area per vector-unit ALU / CUDA core (0: not stated)").or_default(0).at_most(1e9));
  v.real("sram_mm2_per_mib", p.sram_mm2_per_mib,
         S::non_negative("mm^2", 1, "area per MiB of on-chip memory (0: not stated)").or_default(0).at_most(1e6));
  v.real("extra_sram_mib", p.extra_sram_mib,
         S::non_negative("MiB", 1,
                         "on-chip memory the timing model does not declare (register files, L1 / shared memory, CMEM)")
             .or_default(0)
             .at_most(1 << 20));
  v.integer(
      "hbm_stacks", p.hbm_stacks,
      S::non_negative("", 1, "HBM stacks (each with its PHY on the die; 0: not stated)").or_default(0).at_most(64));
  v.real("hbm_phy_mm2", p.hbm_phy_mm2,
         S::non_negative("mm^2", 1, "die area of one HBM stack's PHY (0: not stated)").or_default(0).at_most(1e6));
  v.real("other_mm2", p.other_mm2,
         S::non_negative("mm^2", 1, "fixed remainder: I/O, interconnect, control (0: not modelled)")
             .or_default(0)
             .at_most(1e6));
  v.real("budget_mm2", p.budget_mm2,
         S::non_negative("mm^2", 1, "area budget: a config of more area is infeasible (0: none)")
             .or_default(0)
             .at_most(1e6));
}

}  // namespace rp::accel
