#pragma once
// Checked, typed access to a YAML mapping. Every error is a UsageError naming the file, the line and the dotted
// key, and saying what was expected. Used at the edges only (network files, accelerator and experiment configs):
// components receive typed structs, never YAML.
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace rp::traces {

// Limits on any YAML input (configs are a few KB; these stop a wrong file from exhausting memory or the stack):
constexpr long long kMaxYamlBytes = 16ll << 20;  // 16 MiB
constexpr int kMaxYamlDepth = 64;                // nested mappings / sequences (configs use at most 5)

// The text of a YAML input file. Throws UsageError naming the file when it cannot be opened, is a directory or
// not a regular file, is larger than kMaxYamlBytes, or is not UTF-8 text (binary data: a control byte or a byte
// sequence that is not UTF-8).
std::string read_yaml_text(const std::string& file);

// Parses YAML text into a tree and checks what yaml-cpp accepts silently: a key given twice in one mapping, a key
// that is not a scalar, nesting deeper than kMaxYamlDepth, and aliases that expand to more nodes than the text
// has characters. Every problem is a UsageError naming `label` and the line.
YAML::Node parse_yaml(const std::string& text, const std::string& label);

// What an error may quote from a YAML input. Any text file that parses as YAML reaches these errors (the lines of
// `/etc/shadow` parse as the keys of a mapping), so an error names the file and line and says what was expected,
// and quotes the file's text only where it is plausibly what the user wrote for Ridgepoint:
//  - a key only when it looks like a key name: 1 to 64 characters, letters, digits, '_', '-' and '.', starting with
//    a letter or '_' (keys are met only in a file that parsed as a YAML mapping);
//  - a value only when it is the scalar of a known key, read because the reader asked for that key by name, and
//    is 1 to 64 printable ASCII characters (unknown keys are reported before values wherever a mapping is checked
//    with reject_unknown or the accelerator schema).
// quoted_key / quoted_value give the text to put in the message: "'resolution'" when it may be quoted, else a
// description without the content ("(not shown: not a key name)", "a value of 300 characters (not shown)").
std::string quoted_key(const std::string& key);
std::string quoted_value(const std::string& value);

// The top-level scalar `key` of a YAML file, or "" when the file cannot be read or parsed or has no such scalar
// (to choose how to load it; loading then reports any error with file and line).
std::string peek_scalar(const std::string& file, const std::string& key);

class YamlMap {
 public:
  // Reads (read_yaml_text) and parses (parse_yaml) `file`; every problem throws UsageError with file and line.
  static YamlMap load_file(const std::string& file);
  static YamlMap from_string(const std::string& text, const std::string& label);
  YamlMap(YAML::Node node, std::string file, std::string prefix);

  bool has(const std::string& key) const;
  YamlMap map(const std::string& key) const;  // required nested mapping
  std::string str(const std::string& key) const;
  std::string str(const std::string& key, const std::string& fallback) const;
  double number(const std::string& key) const;
  double number(const std::string& key, double fallback) const;
  long long integer(const std::string& key) const;
  long long integer(const std::string& key, long long fallback) const;
  // Checked ranges: "key 'resolution': must be in [8, 4096], got 100000" (the value as written). An integer is
  // range-checked before any narrowing, so 2^32 + 224 is rejected rather than read as 224.
  long long integer_in(const std::string& key, long long lo, long long hi) const;
  long long integer_in(const std::string& key, long long fallback, long long lo, long long hi) const;
  double number_in(const std::string& key, double fallback, double lo, double hi, bool lo_open) const;
  bool boolean(const std::string& key) const;
  bool boolean(const std::string& key, bool fallback) const;
  std::vector<std::string> str_list(const std::string& key) const;  // required non-empty sequence of scalars
  std::vector<std::string> keys() const;

  // Throws naming the first key that is not in `allowed` (quoted_key), and listing the allowed keys.
  void reject_unknown(const std::vector<std::string>& allowed) const;

  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  // As fail(), at the line of item `index` of the sequence `key` (a block list gives each item its own line).
  [[noreturn]] void fail_item(const std::string& key, size_t index, const std::string& what) const;
  std::string path(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }
  const std::string& file() const { return file_; }
  const YAML::Node& node() const { return node_; }

 private:
  YAML::Node get(const std::string& key) const;  // required
  std::string location(const YAML::Node& n) const;

  YAML::Node node_;
  std::string file_;
  std::string prefix_;
};

}  // namespace rp::traces
