#pragma once
// The one place accelerators are created from config: `family:` in the YAML selects a factory from the table in
// registry.cpp. A new accelerator of an existing family is a new YAML file, not new code.
#include <memory>
#include <string>
#include <vector>

#include "accel_models/common/accelerator.h"
#include "traces/yaml/yaml_map.h"

namespace rp::accel {

// Family factory: parses and validates the family's typed config from the resolved YAML.
using FamilyFactory = std::unique_ptr<IAccelerator> (*)(const traces::YamlMap& root, AcceleratorInfo info);

// Loads a built-in config by name or a YAML file, applies `key=value` overrides, validates, builds.
std::unique_ptr<IAccelerator> make_accelerator(const std::string& name_or_file,
                                               const std::vector<std::string>& overrides = {});

// Families (defined in their own folders).
std::unique_ptr<IAccelerator> make_tpu(const traces::YamlMap& root, AcceleratorInfo info);
std::unique_ptr<IAccelerator> make_gpu(const traces::YamlMap& root, AcceleratorInfo info);

}  // namespace rp::accel
