#include "simulator/result_schema.h"

namespace rp::sim {

const std::vector<Field<SimResult>>& result_fields() {
  static const std::vector<Field<SimResult>> f = {
      {"latency_ms", "ms", "time from the first task's start to the last task's end",
       [](const SimResult& r) { return r.latency_ms; }, true},
      {"throughput", "images/s", "batch / latency", [](const SimResult& r) { return r.throughput; }, true},
      {"flops", "FLOP", "W: work, 2 FLOPs per multiply-accumulate", [](const SimResult& r) { return r.flops; }, true},
      {"hbm_bytes", "B", "Q: main-memory (HBM) traffic", [](const SimResult& r) { return r.hbm_bytes; }, true},
      {"operational_intensity", "FLOP/B", "I = W / Q", [](const SimResult& r) { return r.intensity; }, true},
      {"peak_flops", "FLOP/s", "the device's peak compute rate", [](const SimResult& r) { return r.peak_flops; }},
      {"hbm_bandwidth", "B/s", "the device's peak HBM bandwidth", [](const SimResult& r) { return r.hbm_bandwidth; }},
      {"achieved_flops", "FLOP/s", "W / latency", [](const SimResult& r) { return r.achieved_flops; }},
      {"ideal_flops", "FLOP/s", "roofline: min(peak, I x bandwidth)", [](const SimResult& r) { return r.ideal_flops; }},
      {"efficiency", "", "E = achieved / ideal", [](const SimResult& r) { return r.efficiency; }, true},
      {"hbm_achieved_bandwidth", "B/s", "Q / latency", [](const SimResult& r) { return r.hbm_achieved_bandwidth; }},
      {"tasks", "", "tasks in the simulated graph", [](const SimResult& r) { return static_cast<double>(r.tasks); }},
      {"weight_bytes", "B", "weights held in HBM: parameters x element bytes (constants, embedding tables included)",
       [](const SimResult& r) { return r.weight_bytes; }},
      {"activation_bytes", "B", "peak of the live activations of the batch (tensors from producer to last consumer)",
       [](const SimResult& r) { return r.activation_bytes; }},
      {"kv_cache_bytes", "B", "cached keys and values the attention layers read (cache_len positions)",
       [](const SimResult& r) { return r.kv_cache_bytes; }},
      {"hbm_capacity", "B", "the device's HBM capacity", [](const SimResult& r) { return r.hbm_capacity; }},
      {"hbm_capacity_fraction", "",
       "share of HBM capacity needed (weights + activations + KV cache; TPU: the most loaded core's share)",
       [](const SimResult& r) { return r.hbm_capacity_fraction; }},
      {"energy_j", "J", "energy of the whole batch run: the components below (docs/energy.md)",
       [](const SimResult& r) { return r.energy_j; }, true},
      {"energy_per_inference_mj", "mJ", "energy_j / batch",
       [](const SimResult& r) { return r.energy_per_inference_mj; }, true},
      {"average_power_w", "W", "energy_j / latency", [](const SimResult& r) { return r.average_power_w; }, true},
      {"tops_per_w", "TOPS/W", "W / energy_j (10^12 operations per joule, 2 per MAC)",
       [](const SimResult& r) { return r.tops_per_w; }, true},
      {"inferences_per_j", "1/J", "batch / energy_j", [](const SimResult& r) { return r.inferences_per_j; }},
      {"energy_matrix_j", "J", "matrix unit / tensor cores: MACs x energy per MAC",
       [](const SimResult& r) { return r.energy_matrix_j; }},
      {"energy_vector_j", "J", "vector unit / CUDA cores: element operations x energy per operation",
       [](const SimResult& r) { return r.energy_vector_j; }},
      {"energy_onchip_j", "J", "on-chip memory: bytes read or written x energy per byte",
       [](const SimResult& r) { return r.energy_onchip_j; }},
      {"energy_hbm_j", "J", "HBM: bits moved x energy per bit", [](const SimResult& r) { return r.energy_hbm_j; }},
      {"energy_static_j", "J", "static (leakage and idle) power x latency",
       [](const SimResult& r) { return r.energy_static_j; }},
      {"area_mm2", "mm^2", "first-order die area of the configuration (docs/energy.md)",
       [](const SimResult& r) { return r.area_mm2; }, true},
  };
  return f;
}

const std::vector<Field<UnitSummary>>& unit_fields() {
  static const std::vector<Field<UnitSummary>> f = {
      {"instances", "", "units of this kind (HBM: channels)",
       [](const UnitSummary& u) { return static_cast<double>(u.instances); }},
      {"busy_ms", "ms", "busy time summed over instances", [](const UnitSummary& u) { return u.busy_ms; }},
      {"busy_fraction", "", "busy_ms / (instances x latency)", [](const UnitSummary& u) { return u.busy_fraction; }},
      {"contention_ms", "ms", "time ready work waited for a unit of this kind",
       [](const UnitSummary& u) { return u.contention_ms; }},
      {"tasks", "", "tasks served (HBM: transfers)", [](const UnitSummary& u) { return static_cast<double>(u.tasks); }},
  };
  return f;
}

const std::vector<Field<LayerSummary>>& layer_fields() {
  static const std::vector<Field<LayerSummary>> f = {
      {"start_ms", "ms", "first task start", [](const LayerSummary& l) { return l.start_ms; }},
      {"end_ms", "ms", "last task end", [](const LayerSummary& l) { return l.end_ms; }},
      {"macs", "", "multiply-accumulates", [](const LayerSummary& l) { return static_cast<double>(l.macs); }},
      {"flops", "FLOP", "W", [](const LayerSummary& l) { return l.flops; }},
      {"hbm_bytes", "B", "Q", [](const LayerSummary& l) { return l.hbm_bytes; }},
      {"operational_intensity", "FLOP/B", "I = W / Q", [](const LayerSummary& l) { return l.intensity; }},
      {"efficiency", "", "E = (W / duration) / min(peak, I x bandwidth)",
       [](const LayerSummary& l) { return l.efficiency; }},
  };
  return f;
}

void visit_result(const SimResult& r, const ResultVisitor& fn) {
  for (const auto& f : result_fields()) fn(f.name, f.get(r), f.unit, f.description);
  for (const auto& u : r.units) {
    const std::string p = "units." + u.name + ".";
    for (const auto& f : unit_fields()) fn(p + f.name, f.get(u), f.unit, f.description);
    for (const auto& s : u.stats) fn(p + s.name, s.value, s.unit, s.description);
  }
}

}  // namespace rp::sim
