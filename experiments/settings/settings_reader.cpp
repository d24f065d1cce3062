// settings::read (settings_io.h): a settings file through its declaration, with file, line and key in every error.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "experiments/settings/settings_io.h"
#include "simulator/error.h"
#include "simulator/suggest.h"

namespace rp::settings {
namespace {

// "must be in [1, 1000000]", or, when the upper bound is only a sanity cap (1e9 or more), the side that was
// crossed: "must be > 0".
std::string bounds_message(const ParamSpec& spec, bool integer, double v) {
  const std::string what = integer ? "must be an integer " : "must be ";
  if (spec.max < 1e9 || v > spec.max) return what + "in " + spec.interval_text();
  return what + (spec.min_open ? "> " : ">= ") + accel::format_number(spec.min);
}

}  // namespace

bool names_file(const std::string& v) {
  auto ends = [&](const std::string& tail) {
    return v.size() > tail.size() && v.compare(v.size() - tail.size(), tail.size(), tail) == 0;
  };
  // A network file of another framework too: the importers' extensions (experiments/kinds/model_files.h; a test
  // checks that every one of them is here).
  return v.find('/') != std::string::npos || ends(".yaml") || ends(".yml") || ends(".pt") || ends(".pth") ||
         ends(".ptl") || ends(".onnx");
}

std::string identity_text(const TextSpec& spec, const std::string& v) {
  const bool reference = spec.role == TextSpec::kAccelerator || spec.role == TextSpec::kNetwork;
  if (v.empty() || !(spec.relative_to_file || (reference && names_file(v)))) return v;
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(v, ec);
  return ec ? v : absolute.lexically_normal().string();
}

namespace {

// The value as the settings hold it: paths relative to the settings file resolved (settings.h relative_to_file).
std::string as_read(const std::string& file, const TextSpec& spec, const std::string& v) {
  const bool reference = spec.role == TextSpec::kAccelerator || spec.role == TextSpec::kNetwork;
  if (spec.relative_to_file || (reference && names_file(v))) return resolve_path(file, v);
  return v;
}

std::string range_text(const YAML::Node& n) {
  std::string s = "[";
  for (size_t i = 0; i < n.size(); ++i) s += (i ? ", " : "") + (n[i].IsScalar() ? n[i].Scalar() : std::string("?"));
  return s + "]";
}

// An axis given as a range {min, max, steps, scale: linear | log}: `steps` values from min to max (both included),
// evenly spaced or (log) in a constant ratio, as the shortest text that reads back to each (accel::format_number).
std::vector<std::string> range_values(const traces::YamlMap& r) {
  for (const std::string& k : r.keys()) {
    if (k != "min" && k != "max" && k != "steps" && k != "scale") {
      r.fail(k, "unknown range key (expected min, max, steps and optionally scale: linear | log)");
    }
  }
  const double lo = r.number("min"), hi = r.number("max");
  const long long steps = r.integer("steps");
  const std::string scale = r.has("scale") ? r.str("scale") : "linear";
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo) r.fail("max", "expected finite min <= max");
  if (steps < 1 || steps > kMaxRangeSteps) {
    r.fail("steps", "must be an integer in [1, " + std::to_string(kMaxRangeSteps) + "], got " + r.str("steps"));
  }
  if (steps == 1 && hi != lo) r.fail("steps", "1 step needs min == max (give 2 or more steps)");
  if (scale != "linear" && scale != "log")
    r.fail("scale", "unknown value '" + scale + "', expected one of: linear, log");
  if (scale == "log" && !(lo > 0)) r.fail("min", "a log range needs min > 0, got " + r.str("min"));
  std::vector<std::string> out;
  for (long long i = 0; i < steps; ++i) {
    const double t = steps == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(steps - 1);
    double v = scale == "log" ? lo * std::pow(hi / lo, t) : lo + (hi - lo) * t;
    if (i == steps - 1) v = hi;  // the end exactly, whatever the rounding
    out.push_back(accel::format_number(v));
  }
  return out;
}

class Reader : public SettingsVisitor {
 public:
  Reader(const traces::YamlMap& root, const std::vector<CommandLineValue>& given) : given_(given) {
    levels_.push_back({root, {}});
  }

  void real(const std::string& key, double& value, const ParamSpec& spec) override {
    if (!present(key, spec.fallback.has_value())) {
      if (spec.fallback) value = *spec.fallback;
      return;
    }
    const double v = map().number(key);
    if (!spec.within(v)) map().fail(key, bounds_message(spec, false, v) + ", got " + map().str(key));
    value = v;
  }
  void integer(const std::string& key, int64_t& value, const ParamSpec& spec) override {
    if (!present(key, spec.fallback.has_value())) {
      if (spec.fallback) value = static_cast<int64_t>(*spec.fallback);
      return;
    }
    const long long v = map().integer(key);
    if (!spec.within(static_cast<double>(v))) {
      map().fail(key, bounds_message(spec, true, static_cast<double>(v)) + ", got " + map().str(key));
    }
    value = v;
  }
  void boolean(const std::string& key, bool& value, const ParamSpec& spec) override {
    if (!present(key, spec.fallback.has_value())) {
      if (spec.fallback) value = *spec.fallback != 0;
      return;
    }
    value = map().boolean(key);
  }
  void text(const std::string& key, std::string& value, const TextSpec& spec) override {
    if (const CommandLineValue* c = command_line(key)) return take(*c, value, spec);
    if (!present(key, spec.fallback.has_value())) {
      if (spec.fallback) value = *spec.fallback;
      return;
    }
    const std::string v = as_read(map().file(), spec, map().str(key));
    if (v.empty()) map().fail(key, "expected a non-empty value");
    if (!spec.allowed.empty() && std::find(spec.allowed.begin(), spec.allowed.end(), v) == spec.allowed.end()) {
      map().fail(key, "unknown value '" + v + "', expected one of: " + join(spec.allowed));
    }
    run_check(key, spec, v);
    value = v;
  }
  void list(const std::string& key, std::vector<std::string>& value, const TextSpec& spec) override {
    if (!present(key, spec.fallback.has_value())) {
      if (spec.fallback) value.clear();
      return;
    }
    value = map().str_list(key);
    for (size_t i = 0; i < value.size(); ++i) {
      value[i] = as_read(map().file(), spec, value[i]);
      run_check(key, spec, value[i], static_cast<long>(i));
    }
  }
  void overrides(const std::string& key, std::vector<std::string>& value, const std::string&) override {
    declare(key);
    value.clear();
    if (!map().has(key)) return;
    const YAML::Node n = map().node()[key];
    if (n.IsSequence()) {
      for (const auto& item : n) {
        if (!item.IsScalar() || item.Scalar().find('=') == std::string::npos) {
          map().fail(key, "expected key=value items (or a mapping {key: value})");
        }
        value.push_back(item.Scalar());
      }
    } else if (n.IsMap()) {
      for (const auto& kv : n) {
        if (!kv.second.IsScalar()) map().fail(key + "." + kv.first.Scalar(), "expected a single value");
        value.push_back(kv.first.Scalar() + "=" + kv.second.Scalar());
      }
    } else {
      map().fail(key, "expected a list of key=value or a mapping of keys to values, e.g. {hbm.bandwidth_gbps: 1200}");
    }
  }
  void axes(const std::string& key, std::vector<Axis>& value, const std::string&) override {
    declare(key);
    value.clear();
    if (!map().has(key)) return;
    const traces::YamlMap axes = map().map(key);
    if (axes.keys().empty()) map().fail(key, "is empty: give at least one key with a list of values");
    for (const std::string& k : axes.keys()) {
      if (axes.node()[k].IsMap()) {
        value.push_back({k, range_values(axes.map(k))});
        continue;
      }
      if (!axes.node()[k].IsSequence() || axes.node()[k].size() == 0) {
        axes.fail(k, "expected a non-empty list or a range {min, max, steps, scale}");
      }
      value.push_back({k, axes.str_list(k)});
    }
  }
  void range(const std::string& key, Range& value, const ParamSpec& bounds) override {
    if (!present(key, bounds.fallback.has_value())) return;
    const YAML::Node n = map().node()[key];
    if (n.IsSequence() && n.size() == 0) map().fail(key, "empty range []: expected [start, stop, step]");
    if (!n.IsSequence() || n.size() != 3) map().fail(key, "expected [start, stop, step]");
    double v[3];
    for (size_t i = 0; i < 3; ++i) {
      char* end = nullptr;
      const std::string s = n[i].IsScalar() ? n[i].Scalar() : "";
      v[i] = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0' || !std::isfinite(v[i])) {
        map().fail(key, "expected three finite numbers [start, stop, step], got " + range_text(n));
      }
    }
    const Range r{v[0], v[1], v[2]};
    if (!bounds.within(r.start) || !bounds.within(r.stop)) {
      map().fail(key, "start and stop must be in " + bounds.interval_text() + ", got " + range_text(n));
    }
    if (r.stop < r.start) map().fail(key, "inverted range (stop < start) " + range_text(n));
    if (!(r.step > 0)) map().fail(key, "step must be > 0, got " + range_text(n));
    if ((r.stop - r.start) / r.step > kMaxRangeSteps) {
      map().fail(key,
                 "more than " + std::to_string(kMaxRangeSteps) + " steps " + range_text(n) + ": use a larger step");
    }
    value = r;
  }
  void section(const std::string& key, const Body& body, bool optional) override {
    if (!present(key, optional)) return nested(key, YAML::Node(), body);
    if (!map().node()[key].IsMap()) map().fail(key, "expected a mapping");
    nested(key, map().node()[key], body);
  }
  void switch_section(const std::string& key, bool& on, const Body& body) override {
    declare(key);
    if (map().has(key) && map().node()[key].IsScalar()) {
      on = map().boolean(key);
    } else if (map().has(key)) {
      if (!map().node()[key].IsMap()) map().fail(key, "expected true, false or a mapping");
      on = true;
      return nested(key, map().node()[key], body);
    }
    if (on) nested(key, YAML::Node(), body);
  }
  bool given(const std::string& key) override { return map().has(key); }
  void require(bool ok, const std::string& key, const std::string& what) override {
    if (!ok) map().fail(key, what);
  }

  void finish() const { map().reject_unknown(levels_.back().declared); }

 private:
  struct Level {
    traces::YamlMap map;
    std::vector<std::string> declared;
  };
  const traces::YamlMap& map() const { return levels_.back().map; }
  void declare(const std::string& key) { levels_.back().declared.push_back(key); }

  // The command-line value of a top-level `key`, or nullptr.
  const CommandLineValue* command_line(const std::string& key) const {
    if (levels_.size() != 1) return nullptr;
    for (const CommandLineValue& c : given_) {
      if (c.key == key) return &c;
    }
    return nullptr;
  }
  // A command-line value replacing the file's: checked as the file's would be, its errors naming the option.
  void take(const CommandLineValue& c, std::string& value, const TextSpec& spec) {
    declare(c.key);
    if (c.value.empty()) throw UsageError(c.option + ": expected a non-empty value");
    if (spec.check) {
      try {
        spec.check(c.value);
      } catch (const UsageError& e) {
        throw UsageError(c.option + ": " + e.what());
      }
    }
    value = c.value;
  }

  // Declares `key`; true when the file gives it; a required key that is absent fails here.
  bool present(const std::string& key, bool has_default) {
    declare(key);
    if (map().has(key)) return true;
    if (!has_default) {
      throw UsageError(map().file() + ": missing required key '" + map().path(key) + "'");
    }
    return false;
  }

  void nested(const std::string& key, const YAML::Node& node, const Body& body) {
    levels_.push_back({traces::YamlMap(node, map().file(), map().path(key)), {}});
    body(*this);
    finish();
    levels_.pop_back();
  }

  // A failed check names the file and the line of the value (of the list item `item`, when given: an unknown
  // model on line 4 of a block list is reported at line 4).
  void run_check(const std::string& key, const TextSpec& spec, const std::string& v, long item = -1) const {
    if (!spec.check) return;
    try {
      spec.check(v);
    } catch (const UsageError& e) {
      if (item >= 0) map().fail_item(key, static_cast<size_t>(item), e.what());
      map().fail(key, e.what());
    }
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  }

  std::vector<Level> levels_;
  const std::vector<CommandLineValue>& given_;
};

}  // namespace

void read(const traces::YamlMap& root, const Declare& declare, const std::vector<CommandLineValue>& given) {
  Reader r(root, given);
  try {
    declare(r);
  } catch (const UsageError&) {
    // A key missing or a requirement unmet while the file has a top-level key one typo from a declared one
    // (`modles:`, `gird:`): that typo is the cause, and its error ("did you mean models?") is the one to give.
    std::vector<std::string> top;
    for (const KeyInfo& k : list(declare)) {
      const std::string first = k.key.substr(0, k.key.find('.'));  // a section's keys: its name once
      if (std::find(top.begin(), top.end(), first) == top.end()) top.push_back(first);
    }
    for (const std::string& k : root.keys()) {
      if (std::find(top.begin(), top.end(), k) == top.end() && !did_you_mean(k, top).empty()) root.reject_unknown(top);
    }
    throw;
  }
  r.finish();
}

std::string resolve_path(const std::string& file, const std::string& path) {
  const size_t slash = file.find_last_of('/');
  if (path.empty() || path[0] == '/' || slash == std::string::npos) return path;
  return file.substr(0, slash + 1) + path;
}

}  // namespace rp::settings
