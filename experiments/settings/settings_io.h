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

// A value given on the command line for a top-level text key (`ridgepoint run FILE --output PATH`): it replaces the
// file's value (which is then neither resolved nor checked), is taken as given (a relative path: to the current
// directory, as every command-line path), and its errors name the option ("--output: cannot write ...").
struct CommandLineValue {
  std::string key, option, value;
};

// Fills the settings from `root` (a file's top-level mapping): defaults for absent keys that have one; UsageError
// "FILE:LINE: key 'a.b': ..." for a missing required key, a wrong type, a value out of bounds, a failed check or
// rule, and for any key the declaration does not name (listing the valid ones). Paths the declaration marks
// relative to the file (TextSpec::relative_to_file, file references) are resolved by resolve_path before their
// checks run, so the settings hold paths that work from the current directory. `given` replaces file values.
void read(const traces::YamlMap& root, const Declare& declare, const std::vector<CommandLineValue>& given = {});

// `path` as read from the settings file `file`: a relative path is taken relative to the file's directory
// ("experiments/nas/x.yaml", "results/x.h5" -> "experiments/nas/results/x.h5"); an absolute path, an empty one, or
// any path of a file in the current directory ("x.yaml") is returned as it is.
std::string resolve_path(const std::string& file, const std::string& path);

// A reference that names a file rather than a built-in accelerator or zoo model: the zoo's rule (traces/zoo/zoo.h
// build_model), which no built-in name meets: a '/' or a .yaml / .yml ending, or an importer's extension (.pt,
// .pth, .ptl, .onnx: experiments/kinds/model_files.h).
bool names_file(const std::string& v);

// A value as the run's identity (canonical) records it: a file reference or a path relative to the settings file,
// made absolute and normal, so the same file named through another working directory ("exp/chip.yaml" from the
// parent, "chip.yaml" from exp/) is the same input and a resume from either directory is allowed; anything else as
// it is.
std::string identity_text(const TextSpec& spec, const std::string& v);

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
