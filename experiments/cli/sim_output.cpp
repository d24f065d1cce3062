#include "experiments/cli/sim_output.h"

#include <iomanip>
#include <ostream>

#include "experiments/cli/format.h"

namespace rp::cli {

nlohmann::json result_json(const sim::SimResult& r, const accel::AcceleratorInfo& info) {
  nlohmann::json units = nlohmann::json::object();
  for (const auto& u : r.units) {
    units[u.name] = {{"busy_fraction", u.busy_fraction}, {"contention_ms", u.contention_ms}, {"busy_ms", u.busy_ms},
                     {"instances", u.instances}, {"tasks", u.tasks}};
  }
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : r.layers) {
    layers.push_back({{"name", l.name}, {"unit", l.unit}, {"start_ms", l.start_ms}, {"end_ms", l.end_ms},
                      {"macs", l.macs}, {"flops", l.flops}, {"hbm_bytes", l.hbm_bytes},
                      {"operational_intensity", l.intensity}, {"efficiency", l.efficiency}, {"fused", l.fused}});
  }
  return {{"model", r.model},
          {"accelerator", r.accelerator},
          {"family", info.family},
          {"precision", traces::dtype_name(info.precision)},
          {"batch", r.batch},
          {"latency_ms", r.latency_ms},
          {"throughput", r.throughput},
          {"flops", r.flops},
          {"hbm_bytes", r.hbm_bytes},
          {"operational_intensity", r.intensity},
          {"peak_flops", r.peak_flops},
          {"hbm_bandwidth", r.hbm_bandwidth},
          {"achieved_flops", r.achieved_flops},
          {"ideal_flops", r.ideal_flops},
          {"efficiency", r.efficiency},
          {"hbm_achieved_bandwidth", r.hbm_achieved_bandwidth},
          {"tasks", r.tasks},
          {"units", units},
          {"layers", layers}};
}

void print_result(std::ostream& out, const sim::SimResult& r, const accel::AcceleratorInfo& info, bool layers) {
  out << "model        " << r.model << "  (batch " << r.batch << ", " << traces::dtype_name(info.precision) << ")\n"
      << "accelerator  " << r.accelerator << "  (" << info.family << "; peak " << si(r.peak_flops) << "FLOP/s, HBM "
      << si(r.hbm_bandwidth) << "B/s)\n"
      << "latency      " << fixed(r.latency_ms, 3) << " ms   throughput " << fixed(r.throughput, 0)
      << " images/s\n"
      << "roofline     W " << si(r.flops) << "FLOP   Q " << si(r.hbm_bytes) << "B   I " << fixed(r.intensity, 1)
      << " FLOP/B   achieved " << si(r.achieved_flops) << "FLOP/s   ideal min(peak, I x BW) "
      << si(r.ideal_flops) << "FLOP/s   E " << fixed(r.efficiency, 3) << "\n"
      << "HBM          " << si(r.hbm_bytes) << "B moved at " << si(r.hbm_achieved_bandwidth) << "B/s ("
      << fixed(100.0 * r.hbm_achieved_bandwidth / r.hbm_bandwidth, 1) << "% of peak)\n\n";
  out << std::left << std::setw(12) << "unit" << std::right << std::setw(6) << "count" << std::setw(10) << "busy"
      << std::setw(16) << "contention ms" << "\n";
  for (const auto& u : r.units) {
    out << std::left << std::setw(12) << u.name << std::right << std::setw(6) << u.instances << std::setw(9)
        << fixed(100.0 * u.busy_fraction, 1) << "%" << std::setw(16) << fixed(u.contention_ms, 3) << "\n";
  }
  if (!layers) return;
  out << "\n" << std::left << std::setw(30) << "layer (fusion)" << std::setw(8) << "unit" << std::right
      << std::setw(10) << "start ms" << std::setw(10) << "end ms" << std::setw(10) << "MACs" << std::setw(11)
      << "HBM bytes" << std::setw(8) << "I" << std::setw(7) << "E" << "  fused\n";
  for (const auto& l : r.layers) {
    out << std::left << std::setw(30) << l.name << std::setw(8) << l.unit << std::right << std::setw(10)
        << fixed(l.start_ms, 3) << std::setw(10) << fixed(l.end_ms, 3) << std::setw(10) << si(static_cast<double>(l.macs))
        << std::setw(11) << si(l.hbm_bytes) << std::setw(8) << fixed(l.intensity, 1) << std::setw(7)
        << fixed(l.efficiency, 2) << "  " << l.fused.size() << "\n";
  }
}

}  // namespace rp::cli
