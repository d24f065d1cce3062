#include "experiments/cli/sim_output.h"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <memory>
#include <ostream>
#include <sstream>

#include "accel_models/common/registry.h"
#include "accel_models/evaluate.h"
#include "accel_models/memory_check.h"
#include "accel_models/simulate.h"
#include "experiments/cli/format.h"
#include "simulator/error.h"
#include "simulator/result_schema.h"
#include "traces/writers/output_file.h"
#include "traces/writers/trace_sinks.h"

namespace rp::cli {

double contention_per_instance(const sim::UnitSummary& u) {
  return u.instances > 0 ? u.contention_ms / u.instances : 0.0;
}

nlohmann::json result_json(const sim::SimResult& r, const accel::AcceleratorInfo& info, const std::string& batch_rule) {
  nlohmann::json j = {{"model", r.model},
                      {"accelerator", r.accelerator},
                      {"family", info.family},
                      {"precision", traces::dtype_name(info.precision)},
                      {"batch", r.batch}};
  if (!batch_rule.empty()) j["batch_rule"] = batch_rule;
  if (r.seq_len > 0) j["seq_len"] = r.seq_len;  // a sequence model's tokens per sequence (absent for images)
  for (const auto& f : sim::result_fields()) j[f.name] = f.get(r);
  nlohmann::json units = nlohmann::json::object();
  for (const auto& u : r.units) {
    nlohmann::json ju = {{"parent", u.parent}, {"headline", u.headline}};
    for (const auto& f : sim::unit_fields()) ju[f.name] = f.get(u);
    ju["contention_ms_per_instance"] = contention_per_instance(u);  // contention_ms / instances (HBM: per channel)
    for (const auto& s : u.stats) ju[s.name] = s.value;
    units[u.name] = ju;
  }
  j["units"] = units;
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : r.layers) {
    nlohmann::json jl = {{"name", l.name}, {"unit", l.unit}, {"fused", l.fused}};
    for (const auto& f : sim::layer_fields()) jl[f.name] = f.get(l);
    layers.push_back(jl);
  }
  j["layers"] = layers;
  return j;
}

namespace {

// Weights, peak activations, KV cache and how much of the HBM capacity they take (accel_models/memory_check.h).
void print_memory(std::ostream& out, const sim::SimResult& r) {
  out << "memory       weights " << accel::bytes_text(r.weight_bytes) << "   peak activations "
      << accel::bytes_text(r.activation_bytes) << "   KV cache " << accel::bytes_text(r.kv_cache_bytes) << "   of "
      << accel::bytes_text(r.hbm_capacity) << " HBM (" << fixed(100.0 * r.hbm_capacity_fraction, 1)
      << "% of capacity)\n";
}

}  // namespace

void print_result(std::ostream& out, const sim::SimResult& r, const accel::AcceleratorInfo& info, bool layers,
                  const std::string& batch_rule) {
  const std::string sequence = r.seq_len > 0 ? ", sequence " + std::to_string(r.seq_len) : "";
  const char* per_second = r.seq_len > 0 ? " sequences/s\n" : " images/s\n";
  out << "model        " << r.model << "  (" << (batch_rule.empty() ? "batch " + std::to_string(r.batch) : batch_rule)
      << sequence << ", " << traces::dtype_name(info.precision) << ")\n"
      << "accelerator  " << r.accelerator << "  (" << info.family << "; peak " << si(r.peak_flops) << "FLOP/s, HBM "
      << si(r.hbm_bandwidth) << "B/s)\n"
      << "latency      " << fixed(r.latency_ms, 3) << " ms   throughput " << fixed(r.throughput, 0) << per_second
      << "roofline     W " << si(r.flops) << "FLOP   Q " << si(r.hbm_bytes) << "B   I " << fixed(r.intensity, 1)
      << " FLOP/B   achieved " << si(r.achieved_flops) << "FLOP/s   ideal min(peak, I x BW) " << si(r.ideal_flops)
      << "FLOP/s   E " << fixed(r.efficiency, 3) << "\n"
      << "HBM          " << si(r.hbm_bytes) << "B moved at " << si(r.hbm_achieved_bandwidth) << "B/s ("
      << fixed(100.0 * r.hbm_achieved_bandwidth / r.hbm_bandwidth, 1) << "% of peak)\n";
  print_memory(out, r);
  out << "\n";
  // Every unit the accelerator registered, datapaths indented under their unit (they have no queue of their own).
  // Contention is shown per unit (the mean over its `count` instances: per HBM channel) next to the sum over them:
  // the sum over 32 HBM channels may well exceed the latency, so it alone read like a bug.
  out << std::left << std::setw(20) << "unit" << std::right << std::setw(6) << "count" << std::setw(10) << "busy"
      << std::setw(22) << "contention ms / unit" << std::setw(16) << "summed ms"
      << "\n";
  for (const auto& u : r.units) {
    const std::string name = u.parent.empty() ? u.name : "  " + u.name.substr(u.parent.size() + 1);
    const bool queue = u.parent.empty();
    out << std::left << std::setw(20) << name << std::right << std::setw(6) << u.instances << std::setw(9)
        << fixed(100.0 * u.busy_fraction, 1) << "%" << std::setw(22)
        << (queue ? fixed(contention_per_instance(u), 3) : std::string("-")) << std::setw(16)
        << (queue ? fixed(u.contention_ms, 3) : std::string("-")) << "\n";
  }
  out << "(contention: time ready work waited for a unit of this kind; per unit = summed / count, HBM: per channel)\n";
  if (!layers) return;
  // The name column fits the longest name (imported and transformer layer names run long), at least 30 wide.
  int width = 30;
  for (const auto& l : r.layers) width = std::max(width, static_cast<int>(l.name.size()) + 1);
  out << "\n"
      << std::left << std::setw(width) << "layer (fusion)" << std::setw(8) << "unit" << std::right << std::setw(10)
      << "start ms" << std::setw(10) << "end ms" << std::setw(10) << "MACs" << std::setw(11) << "HBM bytes"
      << std::setw(8) << "I" << std::setw(7) << "E"
      << "  fused\n";
  for (const auto& l : r.layers) {
    out << std::left << std::setw(width) << l.name << std::setw(8) << l.unit << std::right << std::setw(10)
        << fixed(l.start_ms, 3) << std::setw(10) << fixed(l.end_ms, 3) << std::setw(10)
        << si(static_cast<double>(l.macs)) << std::setw(11) << si(l.hbm_bytes) << std::setw(8) << fixed(l.intensity, 1)
        << std::setw(7) << fixed(l.efficiency, 2) << "  " << l.fused.size() << "\n";
  }
}

void write_layers_csv(std::ostream& out, const sim::SimResult& r) {
  out << "name,unit,fused";
  for (const auto& f : sim::layer_fields()) out << "," << f.name;
  out << "\n";
  char buf[64];
  for (const auto& l : r.layers) {
    out << l.name << "," << l.unit << "," << l.fused.size();  // layer names hold no commas or quotes
    for (const auto& f : sim::layer_fields()) {
      std::snprintf(buf, sizeof buf, "%.17g", f.get(l));
      out << "," << buf;
    }
    out << "\n";
  }
}

sim::SimResult simulate_to_files(const traces::Network& net, const accel::IAccelerator& acc, const SimFiles& files,
                                 const std::string& command, const std::string& batch_rule) {
  const accel::AcceleratorInfo& info = acc.info();
  // Trace files are created (as NAME.tmp) before simulating, so a bad path fails fast, and renamed only once
  // complete; on any error the temporaries are removed.
  traces::TraceSinks sinks(files.trace, files.chrome_trace);
  std::unique_ptr<traces::OutputFile> csv;  // created now (a bad path fails before simulating), renamed when written
  if (!files.csv.empty()) csv = std::make_unique<traces::OutputFile>(files.csv);
  accel::SimOptions so;
  so.observer = sinks.observer();
  const sim::SimResult r = accel::simulate_within_budgets(net, acc, so);  // over a budget: the reason, no result
  if (sinks.active()) {
    const traces::TraceMeta meta{info.family, traces::dtype_name(info.precision), info.label, info.resolved_yaml,
                                 command,     accel::task_kind_names(),           batch_rule};
    sinks.write(r, net, meta);
  }
  if (csv) {
    std::ostringstream text;
    write_layers_csv(text, r);
    csv->write(text.str());  // every byte checked ("No space left on device"), then fsync, close, rename
    csv->commit();
  }
  return r;
}

}  // namespace rp::cli
