#include "accel_models/config/param_io.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

#include "simulator/error.h"
#include "simulator/suggest.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/zoo.h"

namespace rp::accel {
namespace {

bool parse_real(const std::string& s, double& v) {
  char* end = nullptr;
  errno = 0;
  v = std::strtod(s.c_str(), &end);
  return !s.empty() && *end == '\0' && std::isfinite(v);
}

bool parse_integer(const std::string& s, int64_t& v) {
  char* end = nullptr;
  errno = 0;
  const long long x = std::strtoll(s.c_str(), &end, 10);
  v = x;
  return !s.empty() && *end == '\0' && errno != ERANGE;
}

bool parse_bool(const std::string& s, bool& v) {
  if (s == "true" || s == "yes" || s == "on") return v = true, true;
  if (s == "false" || s == "no" || s == "off") return v = false, true;
  return false;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// Keeps the dotted prefix of the current group.
class PathVisitor : public ParamVisitor {
 public:
  void group(const std::string& key, const std::function<void(ParamVisitor&)>& body) override {
    const std::string saved = prefix_;
    prefix_ = path(key);
    enter_group(saved);
    body(*this);
    prefix_ = saved;
  }

 protected:
  std::string path(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }
  virtual void enter_group(const std::string& parent) { (void)parent; }
  std::string prefix_;
};

// ---- reading a RawConfig ----

class Reader : public PathVisitor {
 public:
  explicit Reader(const RawConfig& raw) : raw_(raw) {}

  void real(const std::string& key, double& value, const ParamSpec& spec) override {
    double v = 0;
    const RawValue* r = leaf(key, spec);
    if (!r) {
      if (spec.fallback) value = *spec.fallback * spec.scale;
      return;
    }
    if (!parse_real(r->text, v)) return fail(key, "expected a number, got " + traces::quoted_value(r->text));
    if (!spec.within(v)) return fail(key, spec.bounds_text(false, v) + ", got " + r->text);
    value = v * spec.scale;
  }
  void integer(const std::string& key, int64_t& value, const ParamSpec& spec) override {
    int64_t v = 0;
    const RawValue* r = leaf(key, spec);
    if (!r) {
      if (spec.fallback) value = static_cast<int64_t>(*spec.fallback);
      return;
    }
    if (!parse_integer(r->text, v)) return fail(key, "expected an integer, got " + traces::quoted_value(r->text));
    if (!spec.within(static_cast<double>(v))) {
      return fail(key, spec.bounds_text(true, static_cast<double>(v)) + ", got " + r->text);
    }
    value = v;
  }
  void boolean(const std::string& key, bool& value, const ParamSpec& spec) override {
    const RawValue* r = leaf(key, spec);
    if (!r) {
      if (spec.fallback) value = *spec.fallback != 0;
      return;
    }
    if (!parse_bool(r->text, value)) fail(key, "expected true or false, got " + traces::quoted_value(r->text));
  }
  void word(const std::string& key, std::string& value, const std::vector<std::string>& allowed,
            const std::string&) override {
    const RawValue* r = leaf(key, ParamSpec{});
    if (!r) return;
    if (r->text.empty()) return fail(key, "expected a word");
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), r->text) == allowed.end()) {
      return fail(key, "expected one of: " + join(allowed) + "; got " + traces::quoted_value(r->text));
    }
    value = r->text;
  }
  std::vector<std::string> entries(const std::string& key, std::vector<std::string>) override {
    return raw_.children(path(key));
  }
  void require(bool ok, const std::string& key, const std::string& what) override {
    if (!ok) fail(key, what);
  }

  // Reports the first problem: an undeclared raw key first (a misspelt key also looks like a missing one), where
  // it stands; else the first bad or missing value met while reading.
  void finish() const {
    for (const std::string& leaf_key : raw_.leaves()) check_declared(leaf_key);
    for (const auto& [prefix, names] : declared_) {
      for (const auto& n : raw_.children(prefix)) check_declared(prefix.empty() ? n : prefix + "." + n);
    }
    if (!first_error_.empty()) throw UsageError(first_error_);
  }

 private:
  void enter_group(const std::string& parent) override {
    declared_[parent].insert(prefix_.substr(parent.empty() ? 0 : parent.size() + 1));
    declared_[prefix_];
    if (!raw_.is_map(prefix_) && raw_.find(prefix_))
      record(raw_.where(prefix_) + ": key '" + prefix_ + "': expected a mapping");
  }

  // The raw leaf of `key`, or nullptr when absent and `spec` has a default; a required key that is absent fails
  // naming the outermost absent group (e.g. 'hbm' when the whole section is missing).
  const RawValue* leaf(const std::string& key, const ParamSpec& spec) {
    const std::string p = path(key);
    declared_[prefix_].insert(key);
    if (raw_.is_map(p)) return fail(key, "expected a single value, got a mapping"), nullptr;
    const RawValue* r = raw_.find(p);
    if (r && r->is_list) return fail(key, "expected a single value, got a list"), nullptr;
    if (r || spec.fallback) return r;
    std::string missing = p, parent;
    size_t dot = 0;
    while ((dot = p.find('.', dot + 1)) != std::string::npos) {
      if (!raw_.is_map(p.substr(0, dot))) {
        missing = p.substr(0, dot);
        break;
      }
    }
    const size_t last = missing.rfind('.');
    parent = last == std::string::npos ? "" : missing.substr(0, last);
    record(raw_.where(parent) + ": missing required key '" + missing + "'");
    return nullptr;
  }

  void check_declared(const std::string& key) const {
    std::string prefix;
    size_t start = 0;
    while (true) {
      const size_t dot = key.find('.', start);
      const std::string name = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      const auto it = declared_.find(prefix);
      if (it == declared_.end()) return;  // inside a mapping the schema does not walk (cannot happen)
      if (!it->second.count(name)) {
        const std::string full = prefix.empty() ? name : prefix + "." + name;
        std::vector<std::string> expected(it->second.begin(), it->second.end());
        const std::string hint = did_you_mean(name, expected);
        throw UsageError(raw_.where(full) + ": unknown key " + traces::quoted_key(full) +
                         (hint.empty() ? "" : "; " + hint) + " (expected one of: " + join(expected) + ")");
      }
      if (dot == std::string::npos) return;
      prefix = key.substr(0, dot);
      start = dot + 1;
    }
  }

  void fail(const std::string& key, const std::string& what) {
    const std::string p = path(key);
    record(raw_.where(p) + ": key '" + p + "': " + what);
  }
  void record(const std::string& error) {
    if (first_error_.empty()) first_error_ = error;
  }

  const RawConfig& raw_;
  std::string first_error_;
  std::map<std::string, std::set<std::string>> declared_;  // group prefix -> declared child names
};

// ---- one override ----

class Setter : public PathVisitor {
 public:
  Setter(std::string key, const ParamValue* value, const std::string* text, std::string context)
      : key_(std::move(key)), value_(value), text_(text), context_(std::move(context)) {}
  bool found() const { return found_; }

  void real(const std::string& key, double& value, const ParamSpec& spec) override {
    if (!here(key)) return;
    double v = 0;
    if (text_ ? !parse_real(*text_, v) : !number(v)) fail("expected a number, got '" + shown() + "'");
    if (!spec.within(v)) fail(spec.bounds_text(false, v) + ", got " + shown());
    value = v * spec.scale;
  }
  void integer(const std::string& key, int64_t& value, const ParamSpec& spec) override {
    if (!here(key)) return;
    int64_t v = 0;
    double d = 0;
    bool ok = false;
    if (text_) {
      ok = parse_integer(*text_, v);
    } else if (number(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) {
      v = static_cast<int64_t>(d);
      ok = true;
    }
    if (!ok) fail("expected an integer, got '" + shown() + "'");
    if (!spec.within(static_cast<double>(v))) fail(spec.bounds_text(true, static_cast<double>(v)) + ", got " + shown());
    value = v;
  }
  void boolean(const std::string& key, bool& value, const ParamSpec&) override {
    if (!here(key)) return;
    const bool* b = text_ ? nullptr : std::get_if<bool>(value_);
    bool v = false;
    if (text_ ? !parse_bool(*text_, v) : !b) fail("expected true or false, got '" + shown() + "'");
    value = text_ ? v : *b;
  }
  void word(const std::string& key, std::string& value, const std::vector<std::string>& allowed,
            const std::string&) override {
    if (!here(key)) return;
    const std::string* s = text_ ? text_ : std::get_if<std::string>(value_);
    if (!s || s->empty()) fail("expected a word");
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
      fail("expected one of: " + join(allowed) + "; got '" + *s + "'");
    }
    value = *s;
  }
  void require(bool, const std::string&, const std::string&) override {}

 private:
  bool here(const std::string& key) {
    if (path(key) != key_) return false;
    found_ = true;
    return true;
  }
  bool number(double& v) const {
    const double* d = std::get_if<double>(value_);
    if (d) v = *d;
    return d != nullptr;
  }
  std::string shown() const {
    if (text_) return *text_;
    if (const double* d = std::get_if<double>(value_)) return format_number(*d);
    if (const bool* b = std::get_if<bool>(value_)) return *b ? "true" : "false";
    return std::get<std::string>(*value_);
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw UsageError(context_ + ": key '" + key_ + "': " + what);
  }

  std::string key_;
  const ParamValue* value_;
  const std::string* text_;
  std::string context_;
  bool found_ = false;
};

class Checker : public PathVisitor {
 public:
  explicit Checker(std::string context) : context_(std::move(context)) {}
  void real(const std::string&, double&, const ParamSpec&) override {}
  void integer(const std::string&, int64_t&, const ParamSpec&) override {}
  void boolean(const std::string&, bool&, const ParamSpec&) override {}
  void word(const std::string&, std::string&, const std::vector<std::string>&, const std::string&) override {}
  void require(bool ok, const std::string& key, const std::string& what) override {
    if (!ok) throw UsageError(context_ + ": key '" + path(key) + "': " + what);
  }

 private:
  std::string context_;
};

// ---- reading one value ----

class Getter : public PathVisitor {
 public:
  explicit Getter(std::string key) : key_(std::move(key)) {}
  std::optional<ParamValue> value;
  void real(const std::string& key, double& v, const ParamSpec& spec) override {
    if (path(key) == key_) value = v / spec.scale;
  }
  void integer(const std::string& key, int64_t& v, const ParamSpec&) override {
    if (path(key) == key_) value = static_cast<double>(v);
  }
  void boolean(const std::string& key, bool& v, const ParamSpec&) override {
    if (path(key) == key_) value = v;
  }
  void word(const std::string& key, std::string& v, const std::vector<std::string>&, const std::string&) override {
    if (path(key) == key_) value = v;
  }
  void require(bool, const std::string&, const std::string&) override {}

 private:
  std::string key_;
};

// ---- finding a key ----

// The type of the key `key_` ("real", "integer", "switch", "word"), or "" when the config has none; compares paths
// without building them (a key check ran per override, per sweep point, and listing every key was a fifth of a
// sweep's CPU time).
class Finder : public PathVisitor {
 public:
  explicit Finder(std::string key) : key_(std::move(key)) {}
  std::string type;
  void real(const std::string& key, double&, const ParamSpec&) override { see(key, "real"); }
  void integer(const std::string& key, int64_t&, const ParamSpec&) override { see(key, "integer"); }
  void boolean(const std::string& key, bool&, const ParamSpec&) override { see(key, "switch"); }
  void word(const std::string& key, std::string&, const std::vector<std::string>&, const std::string&) override {
    see(key, "word");
  }
  void require(bool, const std::string&, const std::string&) override {}

 private:
  void see(const std::string& key, const char* t) {
    if (!type.empty()) return;
    const size_t p = prefix_.size();
    const bool same = p == 0 ? key == key_
                             : key_.size() == p + 1 + key.size() && key_.compare(0, p, prefix_) == 0 &&
                                   key_[p] == '.' && key_.compare(p + 1, std::string::npos, key) == 0;
    if (same) type = t;
  }
  std::string key_;
};

// ---- listing and writing ----

class Lister : public PathVisitor {
 public:
  std::vector<ParamInfo> params;
  void real(const std::string& key, double&, const ParamSpec& spec) override {
    params.push_back({path(key), "real", spec});
  }
  void integer(const std::string& key, int64_t&, const ParamSpec& spec) override {
    params.push_back({path(key), "integer", spec});
  }
  void boolean(const std::string& key, bool&, const ParamSpec& spec) override {
    params.push_back({path(key), "switch", spec});
  }
  void word(const std::string& key, std::string&, const std::vector<std::string>& allowed,
            const std::string& d) override {
    ParamSpec s;
    s.description = d + (allowed.empty() ? "" : " (" + join(allowed) + ")");
    params.push_back({path(key), "word", s});
  }
  void require(bool, const std::string&, const std::string&) override {}
};

class Writer : public ParamVisitor {
 public:
  std::string text;
  void real(const std::string& key, double& value, const ParamSpec& spec) override {
    line(key, format_number(value, spec.scale));  // reads back (x scale, as the reader does) to exactly this value
  }
  void integer(const std::string& key, int64_t& value, const ParamSpec&) override { line(key, std::to_string(value)); }
  void boolean(const std::string& key, bool& value, const ParamSpec&) override { line(key, value ? "true" : "false"); }
  void word(const std::string& key, std::string& value, const std::vector<std::string>&, const std::string&) override {
    line(key, value);
  }
  void group(const std::string& key, const std::function<void(ParamVisitor&)>& body) override {
    text += indent_ + key + ":\n";
    indent_ += "  ";
    body(*this);
    indent_.resize(indent_.size() - 2);
  }
  void require(bool, const std::string&, const std::string&) override {}

 private:
  void line(const std::string& key, const std::string& value) { text += indent_ + key + ": " + value + "\n"; }
  std::string indent_;
};

// "unknown key 'x' for LABEL; did you mean a, b or c?" (the close keys only; AcceleratorConfig says more).
std::string unknown_key(const Describe& describe, const std::string& key, const std::string& label) {
  std::vector<std::string> keys;
  for (const auto& p : list_params(describe)) keys.push_back(p.key);
  const std::string hint = did_you_mean(key, keys);
  return "unknown key '" + key + "' for " + label + (hint.empty() ? "" : "; " + hint);
}

void set_any(const Describe& describe, const std::string& key, const ParamValue* value, const std::string* text,
             const std::string& context, const std::string& label) {
  Setter s(key, value, text, context);
  describe(s);
  if (!s.found()) throw UsageError(context + ": " + unknown_key(describe, key, label));
}

}  // namespace

void read_params(const RawConfig& raw, const Describe& describe) {
  Reader r(raw);
  describe(r);
  r.finish();
}

void set_param(const Describe& describe, const std::string& key, const ParamValue& value, const std::string& context,
               const std::string& label) {
  set_any(describe, key, &value, nullptr, context, label);
}

void set_param_text(const Describe& describe, const std::string& key, const std::string& text,
                    const std::string& context, const std::string& label) {
  set_any(describe, key, nullptr, &text, context, label);
}

ParamValue get_param(const Describe& describe, const std::string& key, const std::string& label) {
  Getter g(key);
  describe(g);
  if (!g.value) throw UsageError(unknown_key(describe, key, label));
  return *g.value;
}

ParamValue parse_param(const Describe& describe, const std::string& key, const std::string& text,
                       const std::string& context, const std::string& label) {
  const std::string type = param_type(describe, key);
  if (!type.empty()) {
    if (type == "word") return text;
    if (type == "switch") {
      bool b = false;
      if (!parse_bool(text, b))
        throw UsageError(context + ": key '" + key + "': expected true or false, got '" + text + "'");
      return b;
    }
    double d = 0;
    int64_t i = 0;
    if (type == "integer") {
      if (!parse_integer(text, i))
        throw UsageError(context + ": key '" + key + "': expected an integer, got '" + text + "'");
      return static_cast<double>(i);
    }
    if (!parse_real(text, d)) throw UsageError(context + ": key '" + key + "': expected a number, got '" + text + "'");
    return d;
  }
  throw UsageError(context + ": " + unknown_key(describe, key, label));
}

void check_params(const Describe& describe, const std::string& context) {
  Checker c(context);
  describe(c);
}

std::string write_yaml(const Describe& describe) {
  Writer w;
  describe(w);
  return w.text;
}

std::string param_type(const Describe& describe, const std::string& key) {
  Finder f(key);
  describe(f);
  return f.type;
}

std::vector<ParamInfo> list_params(const Describe& describe) {
  Lister l;
  describe(l);
  return l.params;
}

}  // namespace rp::accel
