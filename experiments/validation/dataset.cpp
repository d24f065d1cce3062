#include "experiments/validation/dataset.h"

#include <cmath>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "simulator/error.h"
#include "simulator/split.h"
#include "traces/network/tensor.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/layer_list.h"

namespace rp::validation {

// Defined in the generated validation_data.cpp.
extern const char* const kCorpusCsv;
extern const char* const kCalibrationYaml;
extern const std::vector<std::pair<std::string, std::string>> kCorpusNetworks;

namespace {

// A corpus.csv line's fields: a line ending in a comma has an empty last field (stack_set, mostly empty).
std::vector<std::string> corpus_fields(const std::string& line) { return split_list(line); }

// The space-separated words of a field.
std::vector<std::string> words(const std::string& text) {
  SplitOptions o;
  o.separator = ' ';
  o.skip_empty = true;
  return split_list(text, o);
}

constexpr size_t kCorpusFields = 19;

double positive(const std::string& text, const std::string& what, const std::string& where) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(v > 0))
    throw SimulationError(where + ": " + what + ": expected a number > 0, got '" + text + "'");
  return v;
}

std::vector<Measurement> parse() {
  std::vector<Measurement> rows;
  std::stringstream in(kCorpusCsv);
  std::string line;
  bool header = true;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    rows.push_back(parse_corpus_row(corpus_fields(line), "corpus.csv:" + std::to_string(n)));
  }
  return rows;
}

}  // namespace

Measurement parse_corpus_row(const std::vector<std::string>& f, const std::string& where) {
  if (f.size() != kCorpusFields) {
    throw SimulationError(where + ": expected " + std::to_string(kCorpusFields) + " fields, got " +
                          std::to_string(f.size()));
  }
  Measurement m;
  m.source = f[0], m.citation = f[1], m.family = f[2], m.paper_model = f[3], m.accelerator = f[4], m.model = f[5];
  m.batch = static_cast<int64_t>(positive(f[6], "batch", where));
  m.seq_len = f[7] == "0" ? 0 : static_cast<int64_t>(positive(f[7], "seq_len", where));
  m.precision = f[8], m.dtype = f[9], m.stack = f[10];
  if (!m.dtype.empty()) {
    try {
      m.dtype = traces::dtype_name(traces::parse_dtype(m.dtype));
    } catch (const UsageError&) {
      throw SimulationError(where +
                            ": dtype: expected empty (the accelerator's precision), fp32, bf16, fp16 or int8, "
                            "got '" +
                            m.dtype + "'");
    }
  }
  m.published = positive(f[11], "published", where);
  m.unit = f[12];
  const double devices = positive(f[13], "devices", where);
  if (devices > 1e6 || std::floor(devices) != devices) {
    throw SimulationError(where + ": devices: expected a whole number of accelerators (at most 10^6), got '" + f[13] +
                          "'");
  }
  m.devices = static_cast<int64_t>(devices);
  if (m.unit == "ms" || m.unit == "s") {
    if (m.devices != 1) {
      throw SimulationError(where + ": devices: a latency (" + m.unit + ") is one device's; expected 1, got '" + f[13] +
                            "'");
    }
    m.measured_ms = m.unit == "s" ? m.published * 1000 : m.published;
  } else if (m.unit == "img/s" || m.unit == "sent/s") {
    // Latency of one batch on one device: a system's throughput shared evenly by its `devices` accelerators.
    m.measured_ms = static_cast<double>(m.batch) / (m.published / static_cast<double>(m.devices)) * 1000;
  } else {
    throw SimulationError(where + ": unit: expected ms, s, img/s or sent/s, got '" + m.unit + "'");
  }
  if (!f[15].empty()) m.paper_intensity = positive(f[15], "paper_I", where);
  if (!f[16].empty()) m.paper_efficiency = positive(f[16], "paper_E", where);
  m.use = f[17];
  if (m.use != "fit" && m.use != "held-out" && m.use != "predict") {
    throw SimulationError(where + ": use: expected fit, held-out or predict, got '" + m.use + "'");
  }
  m.fit = m.use == "fit";
  for (const auto& kv : words(f[18])) {
    const size_t eq = kv.find('=');
    if (eq == 0 || eq == std::string::npos || eq + 1 == kv.size())
      throw SimulationError(where + ": stack_set: expected key=value pairs separated by spaces, got '" + kv + "'");
    m.stack_set.push_back(kv);
  }
  if (m.family == "transformer") {
    if (m.use != "predict") throw SimulationError(where + ": a transformer row is a prediction (use = predict)");
    m.group = "transformers";
  } else if (m.family != "depthwise" && m.family != "vanilla" && m.family != "grouped") {
    throw SimulationError(where + ": family: expected depthwise, vanilla, grouped or transformer, got '" + m.family +
                          "'");
  }
  // Li et al.'s rows: the table and its row number from the citation ("... Table 3 row 16").
  const size_t row = m.citation.rfind(" row ");
  if (m.source.rfind("li2021-", 0) == 0 && row != std::string::npos) {
    m.source = m.source.substr(7);
    m.paper_row = std::stoi(m.citation.substr(row + 5));
  }
  return m;
}

traces::Network build_row_model(const Measurement& m, const traces::BuildOptions& options) {
  return RowNetworks().build(m, options);
}

traces::Network RowNetworks::build(const Measurement& m, const traces::BuildOptions& options) {
  if (m.source != "user") {
    const auto known = parsed_.find(m.model);
    if (known != parsed_.end()) return traces::load_layer_list(known->second, options);
    for (const auto& [name, text] : kCorpusNetworks) {
      if (name == m.model) {
        const auto added =
            parsed_.emplace(name, traces::YamlMap::from_string(text, "experiments/validation/" + name)).first;
        return traces::load_layer_list(added->second, options);
      }
    }
  }
  return traces::build_model(m.model, options);
}

std::vector<std::string> row_settings(const Measurement& m) {
  std::vector<std::string> out = m.stack_set;
  if (!m.dtype.empty()) out.push_back("precision=" + m.dtype);
  return out;
}

const std::vector<Measurement>& published_measurements() {
  static const std::vector<Measurement> rows = parse();
  return rows;
}

std::vector<std::string> calibration_accelerators() {
  return traces::YamlMap::from_string(kCalibrationYaml, "calibration.yaml").keys();
}

std::vector<FitParam> fit_params(const std::string& accelerator) {
  const traces::YamlMap root = traces::YamlMap::from_string(kCalibrationYaml, "calibration.yaml");
  std::vector<FitParam> out;
  if (!root.has(accelerator)) return out;
  const traces::YamlMap m = root.map(accelerator);
  for (const auto& k : m.keys()) {
    const auto bounds = m.str_list(k);
    if (bounds.size() != 2) m.fail(k, "expected [lo, hi]");
    out.push_back({k, std::stod(bounds[0]), std::stod(bounds[1])});
  }
  return out;
}

}  // namespace rp::validation
