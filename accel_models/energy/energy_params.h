#pragma once
// Typed energy and area parameters of an accelerator (the `energy:` and `area:` sections of its YAML), SI-free
// units as in the YAML: pJ, W, um^2, mm^2. Keys, units, bounds and descriptions: describe_energy() / describe_area()
// in energy_params.cpp; the sources of the shipped values: docs/energy.md and each config's comments.
// Every key defaults to 0 ("not stated"): a config without the sections simulates as before and reports no
// energy or area for what it leaves out.
#include <cstdint>

#include "accel_models/config/precision_rates.h"
#include "traces/network/tensor.h"

namespace rp::accel {

class ParamVisitor;

struct EnergyParams {
  PrecisionRates mac_pj;        // pJ per MAC of the matrix unit / tensor cores, per precision
  PrecisionRates op_pj;         // pJ per element operation of the vector unit / CUDA cores, per precision
  double sram_pj_per_byte = 0;  // on-chip memory (VMEM, shared memory, L2) per byte read or written
  double hbm_pj_per_bit = 0;    // HBM per bit moved (read or written)
  double static_w = 0;          // leakage and idle power of the chip, W
  double power_budget_w = 0;    // 0: none; else a run averaging more is infeasible (evaluate.h)
};

struct AreaParams {
  PrecisionRates mac_um2;  // um^2 per MAC datapath able to run that precision (0: not stated)
  double alu_um2 = 0;      // um^2 per vector-unit ALU / CUDA core
  double sram_mm2_per_mib = 0;
  double extra_sram_mib = 0;  // on-chip memory the timing model does not declare (register files, L1, CMEM)
  int hbm_stacks = 0;
  double hbm_phy_mm2 = 0;  // per stack
  double other_mm2 = 0;    // fixed remainder (I/O, interconnect, control); 0: not modelled
  double budget_mm2 = 0;   // 0: none; else a config of more area is infeasible (evaluate.h)
};

// The energy figures at one precision, as a simulation uses them (accelerator.h's AcceleratorInfo).
struct EnergyRates {
  double mac_pj = 0, op_pj = 0, sram_pj_per_byte = 0, hbm_pj_per_bit = 0, static_w = 0, power_budget_w = 0;
};
// mac_pj at `t`; op_pj at `t`, or at fp32 where the element units have no rate at `t` (as the GPU lowering runs
// such element work at fp32: gpu_lowering.cpp at_precision) and `op_fp32_fallback` is set.
EnergyRates energy_at(const EnergyParams& p, traces::DType t, bool op_fp32_fallback);

// What the area model needs from a family config (filled by the family: tpu_config.cpp, gpu_config.cpp).
struct AreaInputs {
  PrecisionRates macs_per_cycle;  // MAC datapaths of the chip per cycle, per precision
  double alus = 0;                // vector ALUs / CUDA cores of the chip
  double sram_mib = 0;            // on-chip memory the config declares (VMEM of every core, L2)
};
struct AreaBreakdown {
  double matrix_mm2 = 0, vector_mm2 = 0, sram_mm2 = 0, hbm_phy_mm2 = 0, other_mm2 = 0, total_mm2 = 0;
};
// matrix = max over precisions of macs_per_cycle[p] x mac_um2[p] (one datapath serves every precision, sized for
// its costliest), vector = alus x alu_um2, sram = (sram_mib + extra_sram_mib) x sram_mm2_per_mib,
// hbm_phy = hbm_stacks x hbm_phy_mm2, plus other_mm2.
AreaBreakdown area_of(const AreaParams& p, const AreaInputs& in);

// The `energy` and `area` sections (every key optional, default 0).
void describe_energy(ParamVisitor& v, EnergyParams& p);
void describe_area(ParamVisitor& v, AreaParams& p);

}  // namespace rp::accel
