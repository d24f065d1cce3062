#include "experiments/validation/dataset.h"

#include <sstream>

#include <yaml-cpp/yaml.h>

#include "simulator/error.h"
#include "traces/yaml/yaml_map.h"

namespace rp::validation {

// Defined in the generated validation_data.cpp.
extern const char* const kPublishedCsv;
extern const char* const kModernCsv;
extern const char* const kCalibrationYaml;
extern const char* const kTransformerCsv;

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) out.push_back(f);
  return out;
}

// Rows of a CSV (comments and the header skipped), split into fields; `fields` per row or SimulationError.
std::vector<std::vector<std::string>> csv_rows(const char* text, const std::string& name, size_t fields) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream in(text);
  std::string line;
  bool header = true;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    rows.push_back(split(line));
    if (rows.back().size() != fields) {
      throw SimulationError(name + ":" + std::to_string(n) + ": expected " + std::to_string(fields) + " fields");
    }
  }
  return rows;
}

std::vector<Measurement> parse() {
  std::vector<Measurement> rows;
  for (const auto& f : csv_rows(kPublishedCsv, "published-latencies.csv", 9)) {
    rows.push_back({f[0], std::stoi(f[1]), f[2], f[3], f[4], std::stod(f[5]), std::stod(f[7]), std::stod(f[8])});
  }
  for (const auto& f : csv_rows(kModernCsv, "modern-latencies.csv", 7)) {
    Measurement m{f[0], 0, f[1], f[2], f[3], std::stod(f[5]), 0, 0};
    m.batch = std::stoll(f[4]);
    m.fit = f[6] == "fit";
    rows.push_back(m);
  }
  for (const auto& f : csv_rows(kTransformerCsv, "transformer-latencies.csv", 8)) {
    Measurement m{f[0], 0, f[1], f[2], f[3], std::stod(f[6]), 0, 0};
    m.batch = std::stoll(f[4]);
    m.seq_len = std::stoll(f[5]);
    if (f[7] != "predict")
      throw SimulationError("transformer-latencies.csv: every row is a prediction (use = predict)");
    m.fit = false;
    m.group = "transformers";
    rows.push_back(m);
  }
  return rows;
}

}  // namespace

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
