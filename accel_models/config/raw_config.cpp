#include "accel_models/config/raw_config.h"

#include <sys/stat.h>

#include "accel_models/config/builtin_configs.h"
#include "simulator/error.h"
#include "traces/yaml/yaml_map.h"

namespace rp::accel {

struct RawBuilder {
  RawConfig& raw;

  std::string where(const YAML::Node& n) const {
    const auto m = n.Mark();
    return m.is_null() ? raw.label_ : raw.label_ + ":" + std::to_string(m.line + 1);
  }

  void walk(const YAML::Node& map, const std::string& prefix) {
    auto& kids = raw.maps_[prefix];
    for (const auto& kv : map) {
      const std::string name = kv.first.Scalar();
      const std::string key = prefix.empty() ? name : prefix + "." + name;
      kids.push_back(name);
      raw.where_[key] = where(kv.first);
      if (kv.second.IsMap()) {
        walk(kv.second, key);
      } else if (!kv.second.IsNull()) {  // `key:` with no value counts as absent
        raw.leaves_.push_back(
            {key, RawValue{kv.second.IsScalar() ? kv.second.Scalar() : "", where(kv.first), !kv.second.IsScalar()}});
      }
    }
  }
};

RawConfig RawConfig::from_text(const std::string& text, const std::string& label) {
  const traces::YamlMap map = traces::YamlMap::from_string(text, label);  // syntax errors with file and line
  RawConfig raw;
  raw.label_ = label;
  RawBuilder b{raw};
  raw.where_[""] = b.where(map.node());
  b.walk(map.node(), "");
  return raw;
}

const RawValue* RawConfig::find(const std::string& key) const {
  for (const auto& [k, v] : leaves_) {
    if (k == key) return &v;
  }
  return nullptr;
}

bool RawConfig::is_map(const std::string& key) const { return maps_.count(key) > 0; }

std::string RawConfig::where(const std::string& key) const {
  const auto it = where_.find(key);
  return it == where_.end() ? label_ : it->second;
}

std::vector<std::string> RawConfig::children(const std::string& key) const {
  const auto it = maps_.find(key);
  return it == maps_.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> RawConfig::leaves() const {
  std::vector<std::string> out;
  for (const auto& kv : leaves_) out.push_back(kv.first);
  return out;
}

std::vector<std::string> builtin_accelerators() {
  std::vector<std::string> names;
  for (const auto& c : builtin_configs()) names.push_back(c.name);
  return names;
}

RawConfig load_raw_config(const std::string& name_or_file) {
  for (const auto& c : builtin_configs()) {
    if (c.name == name_or_file) return RawConfig::from_text(c.text, c.name + ".yaml (built-in)");
  }
  struct stat st {};
  if (::stat(name_or_file.c_str(), &st) != 0) {
    std::string names;
    for (const auto& n : builtin_accelerators()) names += (names.empty() ? "" : ", ") + n;
    throw UsageError("unknown accelerator '" + name_or_file + "' (built-in: " + names +
                     "; or the path of a YAML file)");
  }
  return RawConfig::from_text(traces::read_yaml_text(name_or_file), name_or_file);  // size, text and type checked
}

}  // namespace rp::accel
