#include "accel_models/config/accel_yaml.h"

#include <fstream>
#include <sstream>

#include "accel_models/config/builtin_configs.h"
#include "simulator/error.h"

namespace rp::accel {
namespace {

void collect(const YAML::Node& n, const std::string& prefix, std::vector<std::string>& out) {
  if (!n.IsMap()) return;
  for (const auto& kv : n) {
    const std::string key = prefix.empty() ? kv.first.Scalar() : prefix + "." + kv.first.Scalar();
    if (kv.second.IsMap()) collect(kv.second, key, out);
    else if (kv.second.IsScalar()) out.push_back(key);
  }
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

void apply_override(YAML::Node root, const std::string& setting, const std::string& label) {
  const size_t eq = setting.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw UsageError("--set '" + setting + "': expected key=value");
  }
  const std::string key = setting.substr(0, eq), value = setting.substr(eq + 1);
  if (value.empty()) throw UsageError("--set '" + setting + "': empty value for key '" + key + "'");
  // Walk the dotted path; every component must exist and the last must be a scalar.
  std::vector<YAML::Node> path{root};
  std::stringstream ss(key);
  std::string part;
  std::vector<std::string> parts;
  while (std::getline(ss, part, '.')) parts.push_back(part);
  bool ok = !parts.empty();
  for (size_t i = 0; ok && i < parts.size(); ++i) {
    const YAML::Node& cur = path.back();
    ok = cur.IsMap() && cur[parts[i]].IsDefined();
    if (ok) path.push_back(cur[parts[i]]);
  }
  if (!ok || !path.back().IsScalar()) {
    throw UsageError("--set: unknown key '" + key + "' for " + label + " (valid keys: " + join(leaf_keys(root)) + ")");
  }
  path.back() = value;
}

}  // namespace

std::vector<std::string> leaf_keys(const YAML::Node& root) {
  std::vector<std::string> out;
  collect(root, "", out);
  return out;
}

std::vector<std::string> builtin_accelerators() {
  std::vector<std::string> names;
  for (const auto& c : builtin_configs()) names.push_back(c.name);
  return names;
}

AcceleratorYaml load_accelerator_yaml(const std::string& name_or_file, const std::vector<std::string>& overrides) {
  std::string label, text;
  for (const auto& c : builtin_configs()) {
    if (c.name == name_or_file) {
      label = c.name + ".yaml (built-in)";
      text = c.text;
    }
  }
  if (label.empty()) {
    std::ifstream in(name_or_file);
    if (!in) {
      throw UsageError("unknown accelerator '" + name_or_file + "' (built-in: " + join(builtin_accelerators()) +
                       "; or the path of a YAML file)");
    }
    std::stringstream buf;
    buf << in.rdbuf();
    label = name_or_file;
    text = buf.str();
  }
  // Parsed from text (not cloned) so every node keeps its line for error messages; overrides edit it in place.
  traces::YamlMap map = traces::YamlMap::from_string(text, label);
  for (const auto& o : overrides) apply_override(map.node(), o, label);
  YAML::Emitter em;
  em << map.node();
  return {map, label, em.c_str()};
}

}  // namespace rp::accel
