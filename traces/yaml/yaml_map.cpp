#include "traces/yaml/yaml_map.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "simulator/error.h"
#include "simulator/suggest.h"

namespace rp::traces {

namespace {

// Length of the UTF-8 sequence starting at s[i] (1..4), or 0 when it is not valid UTF-8 or is a control byte
// other than tab, newline and carriage return.
size_t text_char(const std::string& s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return (c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
  const size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
  if (n == 0 || (n == 3 && c > 0xef) || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return 0;
  }
  return n;
}

// Where the quoted scalar opening at text[open] closes, or npos when the quote runs to the end of the text
// (yaml-cpp 0.7 accepts that silently: the rest of the file becomes one string).
size_t closing_quote(const std::string& text, size_t open) {
  const char q = text[open];
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (q == '"' && text[i] == '\\') {
      ++i;  // an escape: skip the escaped character
    } else if (text[i] == q) {
      if (q == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' inside a single-quoted scalar is one quote
      } else {
        return i;
      }
    }
  }
  return std::string::npos;
}

// Walks the tree once: duplicate and non-scalar keys, depth, quoted scalars that never close, and a node budget
// that aliases cannot exceed unless they expand (every node written out costs at least one character of text).
class TreeCheck {
 public:
  TreeCheck(const std::string& text, std::string label)
      : text_(text), label_(std::move(label)), budget_(text.size() + 1) {}

  void visit(const YAML::Node& n, int depth, const std::string& path) {
    if (++visited_ > budget_) {
      fail(n, "aliases expand to more nodes than the file has characters (a YAML alias bomb?)");
    }
    if (depth > kMaxYamlDepth) fail(n, "nested deeper than " + std::to_string(kMaxYamlDepth) + " levels");
    if (n.IsScalar()) {
      const auto m = n.Mark();
      const size_t at = m.is_null() || m.pos < 0 ? std::string::npos : static_cast<size_t>(m.pos);
      if (at < text_.size() && (text_[at] == '\'' || text_[at] == '"') &&
          closing_quote(text_, at) == std::string::npos) {
        fail(n, std::string("unclosed quote: the ") + text_[at] + " opened here runs to the end of the file");
      }
    } else if (n.IsSequence()) {
      for (const auto& item : n) visit(item, depth + 1, path);
    } else if (n.IsMap()) {
      std::vector<std::string> seen;
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) fail(kv.first, "a mapping key must be a scalar, got a list or mapping");
        const std::string key = kv.first.Scalar();
        const std::string full = path.empty() ? key : path + "." + key;
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
          fail(kv.first, "duplicate key " + quoted_key(full) + " (each key may appear once in a mapping)");
        }
        seen.push_back(key);
        visit(kv.second, depth + 1, full);
      }
    }
  }

 private:
  [[noreturn]] void fail(const YAML::Node& n, const std::string& what) const {
    const auto m = n.Mark();
    throw UsageError(m.is_null() ? label_ + ": " + what : label_ + ":" + std::to_string(m.line + 1) + ": " + what);
  }

  const std::string& text_;
  std::string label_;
  size_t budget_, visited_ = 0;
};

// Nesting depth of flow collections and block indentation, estimated from the text before yaml-cpp sees it:
// yaml-cpp recurses once per level while parsing (and again while destroying the tree), so a deep enough file
// would overflow the stack before TreeCheck could count. Over-counts only brackets inside quoted scalars.
void check_text_depth(const std::string& text, const std::string& label) {
  int flow = 0, line = 1;
  size_t indent = 0;
  bool at_line_start = true, in_comment = false;
  const auto fail = [&] {
    throw UsageError(label + ":" + std::to_string(line) + ": nested deeper than " + std::to_string(kMaxYamlDepth) +
                     " levels");
  };
  for (char ch : text) {
    if (ch == '\n') {
      ++line;
      indent = 0;
      at_line_start = true;
      in_comment = false;
      continue;
    }
    if (at_line_start && (ch == ' ' || ch == '-')) {
      ++indent;  // a block level takes at least one column of indentation ("- " entries included)
      continue;
    }
    if (at_line_start && ch != '#' && indent > 2 * static_cast<size_t>(kMaxYamlDepth) + 2) fail();
    at_line_start = false;
    if (ch == '#') in_comment = true;
    if (in_comment) continue;
    if (ch == '[' || ch == '{') {
      if (++flow > kMaxYamlDepth) fail();
    } else if ((ch == ']' || ch == '}') && flow > 0) {
      --flow;
    }
  }
}

}  // namespace

std::string quoted_key(const std::string& key) {
  const auto ascii_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  const auto name_char = [&](char c) {
    return ascii_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  };
  const bool name = !key.empty() && key.size() <= 64 && (ascii_alpha(key[0]) || key[0] == '_') &&
                    std::all_of(key.begin(), key.end(), name_char);
  return name ? "'" + key + "'" : "(not shown: not a key name)";
}

std::string quoted_value(const std::string& value) {
  const bool shown = !value.empty() && value.size() <= 64 &&
                     std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
  if (shown) return "'" + value + "'";
  return value.empty() ? "an empty value" : "a value of " + std::to_string(value.size()) + " characters (not shown)";
}

std::string read_yaml_text(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) throw UsageError(file + ": cannot open file (" + std::strerror(errno) + ")");
  if (S_ISDIR(st.st_mode)) throw UsageError(file + ": is a directory, not a YAML file");
  if (!S_ISREG(st.st_mode)) throw UsageError(file + ": not a regular file");
  if (st.st_size > kMaxYamlBytes) {
    throw UsageError(file + ": " + std::to_string(st.st_size >> 20) + " MiB, larger than the " +
                     std::to_string(kMaxYamlBytes >> 20) + " MiB limit on a YAML input");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw UsageError(file + ": cannot open file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (size_t i = 0; i < text.size();) {
    const size_t n = text_char(text, i);
    if (n == 0) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned char>(text[i]));
      throw UsageError(file + ": not a text file (byte " + byte + " at offset " + std::to_string(i) +
                       " is not UTF-8 text)");
    }
    i += n;
  }
  return text;
}

YAML::Node parse_yaml(const std::string& text, const std::string& label) {
  check_text_depth(text, label);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw UsageError(label + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
  }
  TreeCheck(text, label).visit(root, 0, "");
  return root;
}

std::string peek_scalar(const std::string& file, const std::string& key) {
  try {
    const YAML::Node root = parse_yaml(read_yaml_text(file), file);
    return root.IsMap() && root[key] && root[key].IsScalar() ? root[key].Scalar() : std::string();
  } catch (const std::exception&) {
    return "";
  }
}

YamlMap YamlMap::load_file(const std::string& file) { return from_string(read_yaml_text(file), file); }

YamlMap YamlMap::from_string(const std::string& text, const std::string& label) {
  YAML::Node root = parse_yaml(text, label);
  if (!root.IsMap()) throw UsageError(label + ": expected a YAML mapping at the top level");
  return YamlMap(root, label, "");
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

void YamlMap::fail_item(const std::string& key, size_t index, const std::string& what) const {
  const YAML::Node list = node_.IsMap() && node_[key] ? node_[key] : YAML::Node();
  const YAML::Node n = list.IsSequence() && index < list.size() ? list[index] : list;
  throw UsageError(location(n.IsDefined() && !n.IsNull() ? n : node_) + ": key '" + path(key) + "': " + what);
}

bool YamlMap::has(const std::string& key) const {
  return node_.IsMap() && node_[key].IsDefined() && !node_[key].IsNull();
}

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
  if (s.empty() || *end != '\0' || !std::isfinite(v)) fail(key, "expected a number, got " + quoted_value(s));
  return v;
}

double YamlMap::number(const std::string& key, double fallback) const { return has(key) ? number(key) : fallback; }

long long YamlMap::integer(const std::string& key) const {
  const std::string s = str(key);
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0') fail(key, "expected an integer, got " + quoted_value(s));
  if (errno == ERANGE) fail(key, "expected an integer, got " + quoted_value(s) + " (beyond 64 bits)");
  return v;
}

long long YamlMap::integer(const std::string& key, long long fallback) const {
  return has(key) ? integer(key) : fallback;
}

long long YamlMap::integer_in(const std::string& key, long long lo, long long hi) const {
  const long long v = integer(key);
  if (v < lo || v > hi) {
    fail(key, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + str(key));
  }
  return v;
}

long long YamlMap::integer_in(const std::string& key, long long fallback, long long lo, long long hi) const {
  return has(key) ? integer_in(key, lo, hi) : fallback;
}

double YamlMap::number_in(const std::string& key, double fallback, double lo, double hi, bool lo_open) const {
  if (!has(key)) return fallback;
  const double v = number(key);
  if ((lo_open ? !(v > lo) : !(v >= lo)) || !(v <= hi)) {
    std::ostringstream range;
    range << (lo_open ? "(" : "[") << lo << ", " << hi << "]";
    fail(key, "must be in " + range.str() + ", got " + str(key));
  }
  return v;
}

bool YamlMap::boolean(const std::string& key) const {
  const std::string s = str(key);
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  fail(key, "expected true or false, got " + quoted_value(s));
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
      const std::string hint = did_you_mean(k, allowed);
      throw UsageError(location(kv.first) + ": unknown key " + quoted_key(path(k)) + (hint.empty() ? "" : "; " + hint) +
                       " (expected one of: " + list + ")");
    }
  }
}

}  // namespace rp::traces
