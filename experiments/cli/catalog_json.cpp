#include "experiments/cli/catalog_json.h"

#include <cmath>
#include <map>
#include <variant>

#include "accel_models/common/registry.h"
#include "accel_models/config/accelerator_config.h"
#include "accel_models/config/builtin_configs.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {
namespace {

nlohmann::json shape_json(const traces::Shape& s) { return {s.n, s.h, s.w, s.c}; }

nlohmann::json bound(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

nlohmann::json key_json(const accel::ParamInfo& p) {
  return {{"key", p.key},
          {"type", p.type},
          {"unit", p.spec.unit},
          {"bounds", p.spec.interval_text()},
          {"min", bound(p.spec.min)},
          {"max", bound(p.spec.max)},
          {"description", p.spec.description},
          {"families", nlohmann::json::array()},
          {"accelerators", nlohmann::json::array()}};
}

void add_once(nlohmann::json& list, const std::string& name) {
  for (const auto& x : list) {
    if (x == name) return;
  }
  list.push_back(name);
}

void check_family(const std::string& family) {
  std::string known;
  for (const auto& f : accel::family_names()) {
    if (f == family) return;
    known += (known.empty() ? "" : ", ") + f;
  }
  throw UsageError("accelerators: --family: unknown family '" + family + "' (expected one of: " + known + ")");
}

}  // namespace

nlohmann::json models_json() {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& e : traces::zoo()) {
    arr.push_back({{"name", e.name}, {"resolution", e.default_resolution}, {"description", e.description}});
    if (e.default_seq_len > 0) arr.back()["seq_len"] = e.default_seq_len;
  }
  return arr;
}

nlohmann::json accelerators_json(const std::string& copies_dir) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& c : accel::builtin_configs()) {
    const auto config = accel::AcceleratorConfig::load(c.name);
    const auto info = config.build()->info();
    arr.push_back({{"name", c.name},
                   {"family", info.family},
                   {"precision", traces::dtype_name(info.precision)},
                   {"default_batch", info.default_batch},
                   {"clock_mhz", std::get<double>(config.value("clock_mhz"))},
                   {"hbm.bandwidth_gbps", std::get<double>(config.value("hbm.bandwidth_gbps"))},
                   {"peak_flops", info.peak_flops},
                   {"yaml", copies_dir.empty() ? std::string() : copies_dir + "/" + c.name + ".yaml"}});
  }
  return arr;
}

nlohmann::json network_json(const traces::Network& n) {
  nlohmann::json layers = nlohmann::json::array();
  for (int id = 0; id < n.size(); ++id) {
    const auto& l = n.layer(id);
    nlohmann::json in = nlohmann::json::array();
    for (int p : l.inputs) in.push_back(shape_json(n.layer(p).output));
    layers.push_back({{"name", l.name},
                      {"kind", traces::kind_name(l.kind)},
                      {"group", l.group},
                      {"input_shape", l.inputs.size() == 1 ? in[0] : in},
                      {"output_shape", shape_json(l.output)},
                      {"macs", l.macs},
                      {"flops", l.flops()},
                      {"params", l.params},
                      {"weight_bytes", l.params * traces::dtype_bytes(n.dtype())},
                      {"activation_bytes", n.output_bytes(id)}});
  }
  return {{"model", n.name()},
          {"resolution", n.resolution()},
          {"batch", n.batch()},
          {"dtype", traces::dtype_name(n.dtype())},
          {"params", n.params()},
          {"macs", n.macs()},
          {"flops", n.flops()},
          {"weight_bytes", n.weight_bytes()},
          {"activation_bytes", n.activation_bytes()},
          {"layers", layers}};
}

nlohmann::json accelerator_keys_json(const std::string& family) {
  if (!family.empty()) check_family(family);
  std::map<std::string, nlohmann::json> keys;  // sorted by key
  for (const auto& c : accel::builtin_configs()) {
    const auto config = accel::AcceleratorConfig::load(c.name);
    if (!family.empty() && config.family() != family) continue;
    for (const auto& p : config.params()) {
      auto it = keys.try_emplace(p.key, key_json(p)).first;
      const std::string known = it->second["description"].get<std::string>();
      if (known.find(p.spec.description) == std::string::npos) {  // the same key described per family
        it->second["description"] = known + "; " + p.spec.description;
      }
      add_once(it->second["families"], config.family());
      add_once(it->second["accelerators"], c.name);
    }
  }
  nlohmann::json arr = nlohmann::json::array();
  for (auto& [key, row] : keys) arr.push_back(std::move(row));
  return arr;
}

namespace {

nlohmann::json number_or_null(bool present, double v) { return present ? nlohmann::json(v) : nlohmann::json(); }

// Rows, MAPE (all, fit, held-out + prediction), max error, Spearman (null below 5 rows) and the families'.
nlohmann::json summary_json(const validation::AccelSummary& a) {
  nlohmann::json fams = nlohmann::json::object();
  for (const auto& f : a.families) {
    fams[f.family] = {
        {"rows", f.rows}, {"mape", f.mape}, {"spearman", number_or_null(!std::isnan(f.spearman), f.spearman)}};
  }
  return {{"rows", a.rows},
          {"mape", a.mape},
          {"max_error", a.max_error},
          {"spearman", number_or_null(!std::isnan(a.spearman), a.spearman)},  // null: < 5 rows
          {"rows_fit", a.rows_fit},
          {"mape_fit", a.rows_fit ? nlohmann::json(a.mape_fit) : nlohmann::json()},
          {"rows_held_out_or_predicted", a.rows_held},
          {"mape_held_out_or_predicted", a.rows_held ? nlohmann::json(a.mape_held) : nlohmann::json()},
          {"families", fams}};
}

}  // namespace

nlohmann::json validation_json(const validation::ValidationReport& r) {
  nlohmann::json rows = nlohmann::json::array(), per = nlohmann::json::object();
  for (const auto& x : r.rows) {
    rows.push_back({{"model", x.m.model},
                    {"paper_model", x.m.paper_model},
                    {"accel", x.m.accelerator},
                    {"source", x.m.source},
                    {"paper_row", x.m.paper_row},
                    {"batch", x.m.batch},
                    {"seq_len", x.m.seq_len},
                    {"group", x.m.group},
                    {"fitted_on", x.m.fit},
                    {"use", x.m.use},
                    {"family", x.m.family},
                    {"citation", x.m.citation},
                    {"precision", x.m.precision},
                    {"dtype", x.m.dtype},
                    {"stack", x.m.stack},
                    {"stack_set", x.m.stack_set},
                    {"published", x.m.published},
                    {"unit", x.m.unit},
                    {"devices", x.m.devices},
                    {"simulated_ms", x.simulated_ms},
                    {"measured_ms", x.m.measured_ms},
                    {"error", x.error},
                    {"simulated_intensity", x.simulated_intensity},
                    {"simulated_efficiency", x.simulated_efficiency},
                    {"paper_intensity", number_or_null(x.m.paper_intensity > 0, x.m.paper_intensity)},
                    {"paper_efficiency", number_or_null(x.m.paper_efficiency > 0, x.m.paper_efficiency)},
                    {"intensity_error", number_or_null(x.m.paper_intensity > 0, x.intensity_error)},
                    {"efficiency_error", number_or_null(x.m.paper_efficiency > 0, x.efficiency_error)}});
  }
  for (const auto& a : r.accelerators) {
    nlohmann::json ratios = nlohmann::json::array();
    for (const auto& c : a.ratios) {
      ratios.push_back({{"name", c.name}, {"simulated", c.simulated}, {"measured", c.measured}, {"error", c.error}});
    }
    per[a.label()] = summary_json(a);
    per[a.label()]["ratios"] = ratios;
  }
  nlohmann::json corpus = nlohmann::json::object();
  for (const auto& c : r.corpus) {
    corpus[c.accelerator] = summary_json(c);
    const auto count = validation::count_intensity(r.rows, c.accelerator);
    corpus[c.accelerator]["intensity_rows"] = count.rows;
    corpus[c.accelerator]["intensity_within_15pct"] = count.within;
  }
  return {{"batch_per_device", validation::kBatchPerDevice}, {"rows", rows}, {"accelerators", per}, {"corpus", corpus}};
}

}  // namespace rp::cli
