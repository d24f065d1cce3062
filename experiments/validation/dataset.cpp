#include "experiments/validation/dataset.h"

#include <sstream>

#include <yaml-cpp/yaml.h>

#include "simulator/error.h"
#include "traces/yaml/yaml_map.h"

namespace rp::validation {

// Defined in the generated validation_data.cpp.
extern const char* const kPublishedCsv;
extern const char* const kCalibrationYaml;

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) out.push_back(f);
  return out;
}

std::vector<Measurement> parse() {
  std::vector<Measurement> rows;
  std::stringstream in(kPublishedCsv);
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
    const auto f = split(line);
    if (f.size() != 9) throw SimulationError("published-latencies.csv:" + std::to_string(n) + ": expected 9 fields");
    rows.push_back({f[0], std::stoi(f[1]), f[2], f[3], f[4], std::stod(f[5]), std::stod(f[7]), std::stod(f[8])});
  }
  return rows;
}

}  // namespace

const std::vector<Measurement>& published_measurements() {
  static const std::vector<Measurement> rows = parse();
  return rows;
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
