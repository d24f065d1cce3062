#pragma once
// The YAML edge of accelerator configs: a config file (or a built-in config by name) read into a RawConfig, a flat
// list of dotted keys with their text and location, before any typing. Nothing past this file sees YAML:
// param_io.h turns a RawConfig into typed structs through the parameter schema.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace rp::accel {

struct RawValue {
  std::string text;   // the scalar as written
  std::string where;  // "file:line" of its key
  bool is_list = false;
};

class RawConfig {
 public:
  // Parses YAML text; a syntax error or a top level that is not a mapping throws UsageError naming label and line.
  static RawConfig from_text(const std::string& text, const std::string& label);

  const std::string& label() const { return label_; }
  const RawValue* find(const std::string& key) const;  // a scalar (or list) leaf; nullptr if absent or a mapping
  bool is_map(const std::string& key) const;           // "" is the top level
  std::string where(const std::string& key) const;     // location of a leaf or mapping; the file if unknown
  std::vector<std::string> children(const std::string& key) const;  // direct child names, document order
  std::vector<std::string> leaves() const;                          // every leaf key, document order

 private:
  std::string label_;
  std::vector<std::pair<std::string, RawValue>> leaves_;
  std::map<std::string, std::vector<std::string>> maps_;  // mapping key -> child names
  std::map<std::string, std::string> where_;
  friend struct RawBuilder;
};

// A built-in config by name (accel_models/configs/*.yaml, embedded at build time) or a YAML file. An unknown name
// that is no readable file throws UsageError listing the built-in names.
RawConfig load_raw_config(const std::string& name_or_file);

// Names of the built-in configs.
std::vector<std::string> builtin_accelerators();

}  // namespace rp::accel
