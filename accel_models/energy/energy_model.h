#pragma once
// The energy model: from the counters a simulation produces and the accelerator's energy figures (energy_params.h),
// the energy of the run by component, and its power and efficiency figures. First order, in the manner of
// Accelergy / SCALE-Sim: each component's dynamic energy is its count of actions times an energy per action, plus
// static power times latency. What is and is not modelled: docs/energy.md.
//
//     matrix  = macs        x mac_pj             macs: the matrix units' / SM array's "macs" counters
//     vector  = element_ops x op_pj              the vector units' / SM array's "element_ops" counters
//     on-chip = sram_bytes  x sram_pj_per_byte   operand traffic ("sram_bytes" counters) plus every byte moved
//                                                between HBM and the chip and every L2-served load (transfer_bytes)
//     hbm     = hbm_bytes x 8 x hbm_pj_per_bit
//     static  = static_w x latency
#include "accel_models/energy/energy_params.h"
#include "simulator/sim_result.h"

namespace rp::accel {

struct EnergyCounters {
  double macs = 0, element_ops = 0, sram_bytes = 0, hbm_bytes = 0;
};

// Sums the units' "macs", "element_ops" and "sram_bytes" counters of `r`, adds `transfer_bytes` (on-chip side of
// the chip's HBM transfers and L2 loads) to sram_bytes and takes hbm_bytes from r.hbm_bytes.
EnergyCounters energy_counters(const sim::SimResult& r, double transfer_bytes);

// Fills r's energy fields (energy_j and its components, energy_per_inference_mj, average_power_w, tops_per_w,
// inferences_per_j) from `c` and `e` over r.latency_ms, r.batch and r.flops; ratios are 0 where undefined.
void apply_energy(sim::SimResult& r, const EnergyCounters& c, const EnergyRates& e);

}  // namespace rp::accel
