#pragma once
// What a run's results depend on, kept in its journal's header so that a resume never mixes results of changed
// inputs: the experiment's settings (their canonical text: every setting that changes results), every file the run
// reads (accelerator and network YAMLs, data set files), each by a hash of its content, and the program version.
// A resume compares the journal's identity with the run's and stops in one line naming the first difference.
#include <string>
#include <vector>

namespace rp::run {

struct InputFile {
  std::string role;  // what the run reads it as: "accelerator", "network", "data set"
  std::string path;  // absolute and normal (std::filesystem), whatever directory the run was started from
  std::string hash;  // FNV-1a 64 of the content, 16 hex digits
};

struct RunIdentity {
  std::string settings;  // canonical JSON of the experiment's settings
  std::vector<InputFile> inputs;
  std::string version;  // RIDGEPOINT_VERSION

  std::string to_json() const;
  // UsageError naming `where` for text that is not an identity (a journal of an older Ridgepoint included).
  static RunIdentity from_json(const std::string& text, const std::string& where);
  // "" when `journal` (the identity a journal recorded) equals this one, else the first difference, e.g.
  // "accelerator file my-chip.yaml changed", "the experiment's settings changed", "program version 0.1.0 (journal)
  // vs 0.2.0".
  std::string difference(const RunIdentity& journal) const;
};

// The InputFile of `path`: UsageError naming the role and path when it is not a readable regular file.
InputFile input_file(const std::string& role, const std::string& path);

}  // namespace rp::run
