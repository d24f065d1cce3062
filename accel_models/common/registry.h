#pragma once
// The one place accelerator families are registered: `family:` in the YAML selects an entry of the table in
// registry.cpp. A new accelerator of an existing family is a new YAML file, not new code; a new family is a typed
// config (describe / derive) plus lowering rules.
#include <memory>
#include <string>
#include <vector>

#include "accel_models/common/family.h"

namespace rp::accel {

struct FamilyEntry {
  const char* name;
  std::unique_ptr<IFamilyConfig> (*make)();  // a config with every field at zero, to be read or copied into
};

const std::vector<FamilyEntry>& families();
std::vector<std::string> family_names();

// Convenience: a built-in name or YAML file, with `key=value` overrides (as the CLI's --set), built.
std::shared_ptr<const IAccelerator> make_accelerator(const std::string& name_or_file,
                                                     const std::vector<std::string>& overrides = {});

// Family factories (defined in their folders).
std::unique_ptr<IFamilyConfig> make_tpu_config();
std::unique_ptr<IFamilyConfig> make_gpu_config();

}  // namespace rp::accel
