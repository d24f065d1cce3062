#include "traces/yaml/yaml_map.h"

#include <cmath>
#include <fstream>

#include "simulator/error.h"

namespace rp::traces {

std::string peek_scalar(const std::string& file, const std::string& key) {
  try {
    const YAML::Node root = YAML::LoadFile(file);
    return root.IsMap() && root[key] && root[key].IsScalar() ? root[key].Scalar() : std::string();
  } catch (const std::exception&) {
    return "";
  }
}

YamlMap YamlMap::load_file(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw UsageError(file + ": cannot open file");
  try {
    YAML::Node root = YAML::LoadFile(file);
    if (!root.IsMap()) throw UsageError(file + ": expected a YAML mapping at the top level");
    return YamlMap(root, file, "");
  } catch (const YAML::Exception& e) {
    throw UsageError(file + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
  }
}

YamlMap YamlMap::from_string(const std::string& text, const std::string& label) {
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) throw UsageError(label + ": expected a YAML mapping at the top level");
    return YamlMap(root, label, "");
  } catch (const YAML::Exception& e) {
    throw UsageError(label + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
  }
}

YamlMap::YamlMap(YAML::Node node, std::string file, std::string prefix)
    : node_(std::move(node)), file_(std::move(file)), prefix_(std::move(prefix)) {}

std::string YamlMap::location(const YAML::Node& n) const {
  const auto m = n.Mark();
  return m.is_null() ? file_ : file_ + ":" + std::to_string(m.line + 1);
}

void YamlMap::fail(const std::string& key, const std::string& what) const {
  const YAML::Node n = node_.IsMap() && node_[key] ? node_[key] : node_;
  throw UsageError(location(n) + ": key '" + path(key) + "': " + what);
}

bool YamlMap::has(const std::string& key) const { return node_.IsMap() && node_[key].IsDefined() && !node_[key].IsNull(); }

YAML::Node YamlMap::get(const std::string& key) const {
  if (!has(key)) throw UsageError(location(node_) + ": missing required key '" + path(key) + "'");
  return node_[key];
}

YamlMap YamlMap::map(const std::string& key) const {
  YAML::Node n = get(key);
  if (!n.IsMap()) fail(key, "expected a mapping");
  return YamlMap(n, file_, path(key));
}

std::string YamlMap::str(const std::string& key) const {
  YAML::Node n = get(key);
  if (!n.IsScalar()) fail(key, "expected a scalar value");
  return n.Scalar();
}

std::string YamlMap::str(const std::string& key, const std::string& fallback) const {
  return has(key) ? str(key) : fallback;
}

double YamlMap::number(const std::string& key) const {
  const std::string s = str(key);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !std::isfinite(v)) fail(key, "expected a number, got '" + s + "'");
  return v;
}

double YamlMap::number(const std::string& key, double fallback) const { return has(key) ? number(key) : fallback; }

long long YamlMap::integer(const std::string& key) const {
  const std::string s = str(key);
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0') fail(key, "expected an integer, got '" + s + "'");
  return v;
}

long long YamlMap::integer(const std::string& key, long long fallback) const {
  return has(key) ? integer(key) : fallback;
}

bool YamlMap::boolean(const std::string& key) const {
  const std::string s = str(key);
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  fail(key, "expected true or false, got '" + s + "'");
}

bool YamlMap::boolean(const std::string& key, bool fallback) const { return has(key) ? boolean(key) : fallback; }

std::vector<std::string> YamlMap::str_list(const std::string& key) const {
  YAML::Node n = get(key);
  if (!n.IsSequence() || n.size() == 0) fail(key, "expected a non-empty list");
  std::vector<std::string> out;
  for (const auto& item : n) {
    if (!item.IsScalar()) fail(key, "expected a list of strings");
    out.push_back(item.Scalar());
  }
  return out;
}

std::vector<std::string> YamlMap::keys() const {
  std::vector<std::string> out;
  if (!node_.IsMap()) return out;
  for (const auto& kv : node_) out.push_back(kv.first.Scalar());
  return out;
}

void YamlMap::reject_unknown(const std::vector<std::string>& allowed) const {
  for (const auto& kv : node_) {
    const std::string k = kv.first.Scalar();
    bool ok = false;
    for (const auto& a : allowed) ok = ok || a == k;
    if (!ok) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw UsageError(location(kv.first) + ": unknown key '" + path(k) + "' (expected one of: " + list + ")");
    }
  }
}

}  // namespace rp::traces
