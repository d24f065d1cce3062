#pragma once
// What the parameter schema (param.h) is used for, each a ParamVisitor over a config's describe function:
// reading a RawConfig into typed structs, typed overrides, cross-field checks, the resolved YAML, the key list.
// Every error is one UsageError line naming the file (and line) or the override, the dotted key, the value and
// what was expected.
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "accel_models/config/param.h"
#include "accel_models/config/raw_config.h"

namespace rp::accel {

// A typed parameter value: a number in the unit of the key's name (GB/s for hbm.bandwidth_gbps), a switch, or a
// word (precision).
using ParamValue = std::variant<double, bool, std::string>;

using Describe = std::function<void(ParamVisitor&)>;

// Fills the structs `describe` declares from `raw`: defaults for absent keys that have one; UsageError for a
// missing required key, a value of the wrong type or out of bounds, a broken cross-field rule or an unknown key.
void read_params(const RawConfig& raw, const Describe& describe);

// Sets the parameter `key` (YAML units) after checking its type and bounds; UsageError naming `context` (where the
// override came from, e.g. "--set hbm.bandwidth_gbps=-5") and the key; an unknown key lists the valid ones.
void set_param(const Describe& describe, const std::string& key, const ParamValue& value, const std::string& context,
               const std::string& label);
// The same with the value given as text, parsed by the key's type as the YAML reader does.
void set_param_text(const Describe& describe, const std::string& key, const std::string& text,
                    const std::string& context, const std::string& label);
// The current value of `key` in YAML units; UsageError for an unknown key.
ParamValue get_param(const Describe& describe, const std::string& key, const std::string& label);
// The typed value of `text` for `key` (parsed by the key's type, unchecked bounds); UsageError for an unknown key
// or a value of the wrong type, naming `context`.
ParamValue parse_param(const Describe& describe, const std::string& key, const std::string& text,
                       const std::string& context, const std::string& label);
// Runs the cross-field rules; UsageError naming `context` and the key.
void check_params(const Describe& describe, const std::string& context);

// The config as YAML text, every key with its value in YAML units (reads back to the same typed values).
std::string write_yaml(const Describe& describe);

struct ParamInfo {
  std::string key;   // dotted
  std::string type;  // "real", "integer", "switch", "word"
  ParamSpec spec;
};
std::vector<ParamInfo> list_params(const Describe& describe);
// ParamInfo::type of `key`, or "" when the config has no such key: list_params' answer for one key, without
// listing them all.
std::string param_type(const Describe& describe, const std::string& key);

}  // namespace rp::accel
