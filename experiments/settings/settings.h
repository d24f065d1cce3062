#pragma once
// Experiment settings, declared once per kind with the accelerator configs' declaration mechanism
// (accel_models/config/param.h: every key with its type, unit, bounds, default and description) in one function
//   void describe(SettingsVisitor& v, NasSettings& s) { v.text("space", s.space, TextSpec::word(...)); ... }
// (experiments/kinds/*/ *_settings.cpp). From that one declaration come (settings_io.h):
//  - load(): the YAML read and validated, every error one line "FILE:LINE: key 'a.b': what was expected";
//  - canonical(): the text that identifies a run's results (its journal's identity): every setting but those
//    marked outside the identity (the output path, limits that do not change results);
//  - resolved_yaml(): every setting with its value, as written into outputs (it loads back to the same settings);
//  - inputs(): the files the settings name (accelerator and network YAMLs), hashed into the run's identity;
//  - list(): what `ridgepoint kinds KIND` prints, a row per key.
// Shapes beyond the scalars of accelerator configs: free text and words, lists, accelerator overrides (`set:`,
// a list of "key=value" or a mapping {key: value}, both forms for every kind), axes (a sweep's grid and zip),
// ranges [start, stop, step], nested sections and sections that can be switched off.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accel_models/config/param.h"

namespace rp::settings {

using accel::ParamSpec;

struct TextSpec {
  enum Role { kText, kAccelerator, kNetwork };  // kAccelerator / kNetwork: a built-in name or a YAML file
  Role role = kText;
  std::vector<std::string> allowed;     // a word from these (empty: any non-empty text)
  std::optional<std::string> fallback;  // absent: required
  std::string description;
  bool identity = true;  // false: does not change results (an output path)
  // A path read relative to the settings file's directory (settings_io.h resolve_path). Accelerator and network
  // references are read so too when they name a file (a '/' or a .yaml / .yml ending): built-in names never are.
  bool relative_to_file = false;
  // A check of the value (UsageError with the reason, reported with file, line and key).
  std::function<void(const std::string&)> check;

  static TextSpec required(std::string description, Role role = kText);
  static TextSpec optional(std::string fallback, std::string description, Role role = kText);
  static TextSpec word(std::vector<std::string> allowed, std::optional<std::string> fallback, std::string description);
  TextSpec& checked(std::function<void(const std::string&)> fn) {
    check = std::move(fn);
    return *this;
  }
  TextSpec& outside_identity() {
    identity = false;
    return *this;
  }
  TextSpec& file_relative() {
    relative_to_file = true;
    return *this;
  }
};

struct Axis {
  std::string key;                  // as written (a dotted accelerator key, batch, resolution)
  std::vector<std::string> values;  // as written
};

struct Range {
  double start = 1, stop = 1, step = 0.05;  // inclusive; start <= stop, step > 0
};
constexpr int kMaxRangeSteps = 1000;

class SettingsVisitor : public accel::ParamVisitor {
 public:
  using Body = std::function<void(SettingsVisitor&)>;
  using accel::ParamVisitor::integer;

  virtual void text(const std::string& key, std::string& value, const TextSpec& spec) = 0;
  // A non-empty list of scalars; absent: empty if the spec has a fallback (its text is ignored), else required.
  virtual void list(const std::string& key, std::vector<std::string>& value, const TextSpec& spec) = 0;
  // Accelerator overrides as "key=value" (optional; checked by the kind against its accelerator).
  virtual void overrides(const std::string& key, std::vector<std::string>& value, const std::string& description) = 0;
  // A mapping of keys to non-empty lists of values (optional).
  virtual void axes(const std::string& key, std::vector<Axis>& value, const std::string& description) = 0;
  // [start, stop, step]: finite, start and stop within `bounds`, start <= stop, step > 0, at most kMaxRangeSteps
  // steps. Required unless `bounds` has a fallback (then absent keeps `value`).
  virtual void range(const std::string& key, Range& value, const ParamSpec& bounds) = 0;
  // A nested mapping; `optional`: absent gives every key its default.
  virtual void section(const std::string& key, const Body& body, bool optional = false) = 0;
  // A section that can be switched off: absent keeps `on` (a mapping of defaults when on); `false` is off; `true`
  // is on with defaults; a mapping is on with those keys.
  virtual void switch_section(const std::string& key, bool& on, const Body& body) = 0;
  // Whether the file gave `key` in the current section (only the reader answers true): for rules such as "give
  // either w or alpha and beta".
  virtual bool given(const std::string& key) {
    (void)key;
    return false;
  }

  // Accelerator-config shapes a settings file does not use: words are texts, groups are sections.
  void word(const std::string& key, std::string& value, const std::vector<std::string>& allowed,
            const std::string& description) final {
    text(key, value, TextSpec::word(allowed, value, description));
  }
  void group(const std::string& key, const std::function<void(accel::ParamVisitor&)>& body) final {
    section(key, [&](SettingsVisitor& v) { body(v); });
  }
};

}  // namespace rp::settings
