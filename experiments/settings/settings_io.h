#pragma once
// What one settings declaration (settings.h) gives, each a SettingsVisitor over the kind's describe function.
// `Declare` is that function bound to a settings struct: [&](SettingsVisitor& v) { describe(v, s); }.
#include <functional>
#include <string>
#include <vector>

#include "experiments/settings/settings.h"
#include "traces/yaml/yaml_map.h"

namespace rp::settings {

using Declare = std::function<void(SettingsVisitor&)>;

// Fills the settings from `root` (a file's top-level mapping): defaults for absent keys that have one; UsageError
// "FILE:LINE: key 'a.b': ..." for a missing required key, a wrong type, a value out of bounds, a failed check or
// rule, and for any key the declaration does not name (listing the valid ones).
void read(const traces::YamlMap& root, const Declare& declare);

// The run-identifying text: a JSON object of every setting but those outside the identity, in declaration order.
std::string canonical(const Declare& declare);

// Every setting as YAML (sections as blocks, lists and ranges in flow style); read() of it gives the same settings.
std::string resolved_yaml(const Declare& declare);

// The accelerator and network references the settings hold (built-in names and files alike), for the run's
// identity: {role "accelerator" or "network", value}.
struct Reference {
  std::string role, value;
};
std::vector<Reference> references(const Declare& declare);

// One row per key, for `ridgepoint kinds KIND`.
struct KeyInfo {
  std::string key;   // dotted
  std::string type;  // real, integer, switch, text, word, list, overrides, axes, range
  std::string unit;
  std::string bounds;    // "[1, 1000000]", "one of: rl, random", ...
  std::string fallback;  // the default as written, "(required)" when there is none
  std::string description;
};
std::vector<KeyInfo> list(const Declare& declare);

}  // namespace rp::settings
