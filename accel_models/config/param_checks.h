#pragma once
// Typed, range-checked reads of unit parameters. Errors name the dotted key (component and parameter).
#include "traces/yaml/yaml_map.h"

namespace rp::accel {

double positive(const traces::YamlMap& m, const std::string& key);      // > 0
double non_negative(const traces::YamlMap& m, const std::string& key);  // >= 0
double fraction(const traces::YamlMap& m, const std::string& key);      // in [0, 1)
long long positive_int(const traces::YamlMap& m, const std::string& key);  // integer >= 1

}  // namespace rp::accel
