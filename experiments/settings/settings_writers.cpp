// canonical, resolved_yaml, references and list (settings_io.h): the other visitors of a settings declaration.
#include <yaml-cpp/yaml.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "experiments/settings/settings_io.h"

namespace rp::settings {
namespace {

using accel::format_number;
using Json = nlohmann::ordered_json;

// Canonical JSON: identity keys only, declaration order.
class Canonical : public SettingsVisitor {
 public:
  Json root = Json::object();
  void real(const std::string& k, double& v, const ParamSpec& s) override { put(k, v, s.identity); }
  void integer(const std::string& k, int64_t& v, const ParamSpec& s) override { put(k, v, s.identity); }
  void boolean(const std::string& k, bool& v, const ParamSpec& s) override { put(k, v, s.identity); }
  void text(const std::string& k, std::string& v, const TextSpec& s) override {
    put(k, identity_text(s, v), s.identity);
  }
  void list(const std::string& k, std::vector<std::string>& v, const TextSpec& s) override {
    std::vector<std::string> ids;
    for (const std::string& x : v) ids.push_back(identity_text(s, x));
    put(k, ids, s.identity);
  }
  void overrides(const std::string& k, std::vector<std::string>& v, const std::string&) override { put(k, v, true); }
  void axes(const std::string& k, std::vector<Axis>& v, const std::string&) override {
    Json a = Json::array();
    for (const Axis& x : v) a.push_back({x.key, x.values});
    put(k, a, true);
  }
  void range(const std::string& k, Range& v, const ParamSpec& s) override {
    put(k, Json::array({v.start, v.stop, v.step}), s.identity);
  }
  void section(const std::string& k, const Body& body, bool) override { nested(k, body); }
  void switch_section(const std::string& k, bool& on, const Body& body) override {
    if (on)
      nested(k, body);
    else
      put(k, false, true);
  }
  void require(bool, const std::string&, const std::string&) override {}

 private:
  template <class V>
  void put(const std::string& k, const V& v, bool identity) {
    if (identity) at()[k] = v;
  }
  Json& at() { return *stack_.back(); }
  void nested(const std::string& k, const Body& body) {
    at()[k] = Json::object();
    stack_.push_back(&at()[k]);
    body(*this);
    stack_.pop_back();
  }
  std::vector<Json*> stack_{&root};
};

// A default outside the key's own bounds stands for "absent" (batch 0: the accelerator's default_batch); the
// resolved YAML leaves such a key out, so that it reads back (the value itself would be refused).
bool absent(double v, const ParamSpec& s) { return s.fallback && v == *s.fallback && !s.within(v); }

// Resolved YAML through yaml-cpp's emitter (it quotes what needs quoting).
class YamlOut : public SettingsVisitor {
 public:
  YAML::Emitter out;
  YamlOut() { out << YAML::BeginMap; }
  void real(const std::string& k, double& v, const ParamSpec& s) override {
    if (std::isfinite(v) && !absent(v, s)) out << YAML::Key << k << YAML::Value << format_number(v);  // NaN: unset
  }
  void integer(const std::string& k, int64_t& v, const ParamSpec& s) override {
    if (!absent(static_cast<double>(v), s)) out << YAML::Key << k << YAML::Value << v;
  }
  void boolean(const std::string& k, bool& v, const ParamSpec&) override {
    out << YAML::Key << k << YAML::Value << (v ? "true" : "false");
  }
  void text(const std::string& k, std::string& v, const TextSpec&) override {
    if (!v.empty()) out << YAML::Key << k << YAML::Value << v;  // empty: an optional text unset
  }
  void list(const std::string& k, std::vector<std::string>& v, const TextSpec&) override {
    if (v.empty()) return;  // an optional list left empty
    out << YAML::Key << k << YAML::Value << YAML::Flow << v;
  }
  void overrides(const std::string& k, std::vector<std::string>& v, const std::string&) override {
    out << YAML::Key << k << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const std::string& kv : v) {
      const size_t eq = kv.find('=');
      out << YAML::Key << kv.substr(0, eq) << YAML::Value << kv.substr(eq + 1);
    }
    out << YAML::EndMap;
  }
  void axes(const std::string& k, std::vector<Axis>& v, const std::string&) override {
    if (v.empty()) return;
    out << YAML::Key << k << YAML::Value << YAML::BeginMap;
    for (const Axis& a : v) out << YAML::Key << a.key << YAML::Value << YAML::Flow << a.values;
    out << YAML::EndMap;
  }
  void range(const std::string& k, Range& v, const ParamSpec&) override {
    out << YAML::Key << k << YAML::Value << YAML::Flow << YAML::BeginSeq << format_number(v.start)
        << format_number(v.stop) << format_number(v.step) << YAML::EndSeq;
  }
  void section(const std::string& k, const Body& body, bool) override {
    out << YAML::Key << k << YAML::Value << YAML::BeginMap;
    body(*this);
    out << YAML::EndMap;
  }
  void switch_section(const std::string& k, bool& on, const Body& body) override {
    if (on)
      section(k, body, true);
    else
      out << YAML::Key << k << YAML::Value << "false";
  }
  void require(bool, const std::string&, const std::string&) override {}
};

class References : public SettingsVisitor {
 public:
  std::vector<Reference> found;
  void real(const std::string&, double&, const ParamSpec&) override {}
  void integer(const std::string&, int64_t&, const ParamSpec&) override {}
  void boolean(const std::string&, bool&, const ParamSpec&) override {}
  void text(const std::string&, std::string& v, const TextSpec& s) override { add(v, s); }
  void list(const std::string&, std::vector<std::string>& v, const TextSpec& s) override {
    for (const auto& x : v) add(x, s);
  }
  void overrides(const std::string&, std::vector<std::string>&, const std::string&) override {}
  void axes(const std::string&, std::vector<Axis>&, const std::string&) override {}
  void range(const std::string&, Range&, const ParamSpec&) override {}
  void section(const std::string&, const Body& body, bool) override { body(*this); }
  void switch_section(const std::string&, bool& on, const Body& body) override {
    if (on) body(*this);
  }
  void require(bool, const std::string&, const std::string&) override {}

 private:
  void add(const std::string& v, const TextSpec& s) {
    if (s.role == TextSpec::kAccelerator) found.push_back({"accelerator", v});
    if (s.role == TextSpec::kNetwork) found.push_back({"network", v});
  }
};

class Lister : public SettingsVisitor {
 public:
  std::vector<KeyInfo> rows;
  void real(const std::string& k, double&, const ParamSpec& s) override { scalar(k, "real", s); }
  void integer(const std::string& k, int64_t&, const ParamSpec& s) override { scalar(k, "integer", s); }
  void boolean(const std::string& k, bool&, const ParamSpec& s) override {
    add(k, "switch", "", "true or false", s.fallback ? (*s.fallback != 0 ? "true" : "false") : "", s.description);
  }
  void text(const std::string& k, std::string&, const TextSpec& s) override {
    add(k, s.allowed.empty() ? "text" : "word", "", s.allowed.empty() ? role(s) : "one of: " + join(s.allowed),
        s.fallback ? (s.fallback->empty() ? "(none)" : *s.fallback) : "", s.description);
  }
  void list(const std::string& k, std::vector<std::string>&, const TextSpec& s) override {
    add(k, "list", "", "non-empty list" + std::string(s.role == TextSpec::kText ? "" : " of " + role(s)),
        s.fallback ? "[]" : "", s.description);
  }
  void overrides(const std::string& k, std::vector<std::string>&, const std::string& d) override {
    add(k, "overrides", "", "[key=value, ...] or {key: value, ...}", "{}", d);
  }
  void axes(const std::string& k, std::vector<Axis>&, const std::string& d) override {
    add(k, "axes", "", "{key: [values] or {min, max, steps, scale: linear|log}, ...}", "{}", d);
  }
  void range(const std::string& k, Range& v, const ParamSpec& s) override {
    add(k, "range", s.unit, "[start, stop, step] in " + s.interval_text(),
        s.fallback ? "[" + format_number(v.start) + ", " + format_number(v.stop) + ", " + format_number(v.step) + "]"
                   : "",
        s.description);
  }
  void section(const std::string& k, const Body& body, bool) override { nested(k, body); }
  void switch_section(const std::string& k, bool& on, const Body& body) override {
    add(k, "section", "", "true, false or a mapping", on ? "true" : "false", "switch: the keys below apply when on");
    nested(k, body);
  }
  void require(bool, const std::string&, const std::string&) override {}

 private:
  void scalar(const std::string& k, const std::string& type, const ParamSpec& s) {
    // A fallback outside the key's bounds (NaN, or 0 for a batch that must be >= 1) only marks the key as absent:
    // the description says what absent means; the listing never shows it as a value a user could give.
    const std::string fallback = !s.fallback                                           ? ""
                                 : std::isfinite(*s.fallback) && s.within(*s.fallback) ? format_number(*s.fallback)
                                                                                       : "(none)";
    add(k, type, s.unit, s.interval_text(), fallback, s.description);
  }
  void add(const std::string& k, const std::string& type, const std::string& unit, const std::string& bounds,
           const std::string& fallback, const std::string& description) {
    rows.push_back({prefix_ + k, type, unit, bounds, fallback.empty() ? "(required)" : fallback, description});
  }
  void nested(const std::string& k, const Body& body) {
    const std::string saved = prefix_;
    prefix_ += k + ".";
    body(*this);
    prefix_ = saved;
  }
  static std::string role(const TextSpec& s) {
    if (s.role == TextSpec::kAccelerator) return "accelerator: built-in name or YAML file";
    if (s.role == TextSpec::kNetwork) return "network: zoo name or network file";
    return "";
  }
  static std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  }
  std::string prefix_;
};

}  // namespace

std::string canonical(const Declare& declare) {
  Canonical c;
  declare(c);
  return c.root.dump();
}

std::string resolved_yaml(const Declare& declare) {
  YamlOut y;
  declare(y);
  y.out << YAML::EndMap;
  return std::string(y.out.c_str()) + "\n";
}

std::vector<Reference> references(const Declare& declare) {
  References r;
  declare(r);
  return r.found;
}

std::vector<KeyInfo> list(const Declare& declare) {
  Lister l;
  declare(l);
  return l.rows;
}

}  // namespace rp::settings
