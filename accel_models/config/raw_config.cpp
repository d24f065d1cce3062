#include "accel_models/config/raw_config.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "accel_models/config/builtin_configs.h"
#include "simulator/error.h"
#include "simulator/suggest.h"
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

namespace {

bool looks_like_file(const std::string& s) {
  auto ends = [&](const std::string& suf) {
    return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
  };
  return ends(".yaml") || ends(".yml") || s.find('/') != std::string::npos;
}

// Neither a built-in nor a file: a path says that the file does not exist (or why it cannot be read); a name says
// it is neither, with the built-ins and the nearest of them.
std::string no_such_accelerator(const std::string& name_or_file, int error) {
  const auto names = builtin_accelerators();
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  const std::string why = error == ENOENT ? "does not exist" : std::string("cannot be read: ") + std::strerror(error);
  if (looks_like_file(name_or_file)) {
    return "accelerator file '" + name_or_file + "' " + why + " (and it is no built-in name: " + list + ")";
  }
  const std::string hint = did_you_mean(name_or_file, names);
  return "unknown accelerator '" + name_or_file + "': neither a built-in (" + list + (hint.empty() ? "" : "; " + hint) +
         ") nor an existing YAML file (" + (error == ENOENT ? "no such file" : why) + ")";
}

}  // namespace

RawConfig load_raw_config(const std::string& name_or_file) {
  for (const auto& c : builtin_configs()) {
    if (c.name == name_or_file) return RawConfig::from_text(c.text, c.name + ".yaml (built-in)");
  }
  struct stat st {};
  if (::stat(name_or_file.c_str(), &st) != 0) throw UsageError(no_such_accelerator(name_or_file, errno));
  return RawConfig::from_text(traces::read_yaml_text(name_or_file), name_or_file);  // size, text and type checked
}

}  // namespace rp::accel
