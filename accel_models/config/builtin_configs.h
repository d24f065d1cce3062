#pragma once
// The accelerator YAML files of accel_models/configs/, embedded at build time so the binary needs no data files.
#include <string>
#include <vector>

namespace rp::accel {

struct BuiltinConfig {
  std::string name;  // file name without .yaml
  std::string text;
};

const std::vector<BuiltinConfig>& builtin_configs();  // sorted by name (std::string order)

}  // namespace rp::accel
