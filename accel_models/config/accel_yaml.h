#pragma once
// Accelerator configs at the YAML edge: find a config by name (built-in) or file, apply `--set key=value`
// overrides by dotted key, and keep the resolved YAML text for provenance (HDF5 /meta, --json).
#include <string>
#include <utility>
#include <vector>

#include "traces/yaml/yaml_map.h"

namespace rp::accel {

struct AcceleratorYaml {
  traces::YamlMap root;       // the resolved tree (overrides applied)
  std::string label;          // "tpuv3 (built-in)" or the file path
  std::string resolved_text;  // the resolved tree as YAML text
};

// `name_or_file`: a built-in name (tpuv2, tpuv3, tpuv4, ...) or a path to a YAML file. Each override is
// "dotted.key=value" and must name an existing scalar key; otherwise UsageError names the key and lists the
// valid ones. Values are type-checked later, when the family parses its typed config.
AcceleratorYaml load_accelerator_yaml(const std::string& name_or_file, const std::vector<std::string>& overrides);

// Names of the built-in configs (accel_models/configs/*.yaml, embedded at build time).
std::vector<std::string> builtin_accelerators();

// Every scalar leaf of a tree as a dotted key, in document order.
std::vector<std::string> leaf_keys(const YAML::Node& root);

}  // namespace rp::accel
