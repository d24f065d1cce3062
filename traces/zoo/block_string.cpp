#include "traces/zoo/block_string.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

#include "simulator/error.h"

namespace rp::traces {
namespace {

[[noreturn]] void bad(const std::string& s, const std::string& token, const std::string& why) {
  throw UsageError("block string '" + s + "': bad token '" + token + "': " + why);
}

int to_int(const std::string& s, const std::string& token, const std::string& digits, int lo, int hi) {
  if (digits.empty() || digits.size() > 6) bad(s, token, "expected an integer value");
  for (char ch : digits) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) bad(s, token, "expected an integer value");
  }
  const int v = std::stoi(digits);
  if (v < lo || v > hi) bad(s, token, "value must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return v;
}

}  // namespace

BlockArgs decode_block(const std::string& s) {
  BlockArgs b;
  bool seen_r = false, seen_k = false, seen_s = false, seen_e = false, seen_i = false, seen_o = false;
  if (s.empty()) throw UsageError("block string is empty");
  // Tokens between '_' (a final '_' ends the string, as std::getline splits it); the keys seen so far as bits of
  // kKeys (p counts as d). No stream and no set: a search decodes its space's block strings per candidate.
  static constexpr const char* kKeys[] = {"r", "k", "s", "e", "i", "o", "se", "noskip", "f", "d", "a"};
  unsigned given = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t end = std::min(s.find('_', pos), s.size());
    const std::string tok = s.substr(pos, end - pos);
    pos = end + 1;
    if (tok.empty()) bad(s, tok, "empty token (doubled or trailing '_')");
    size_t split = 0;
    while (split < tok.size() && std::isalpha(static_cast<unsigned char>(tok[split]))) ++split;
    const std::string key = tok.substr(0, split), val = tok.substr(split);
    const std::string counted = key == "p" ? "d" : key;
    for (unsigned k = 0; k < sizeof kKeys / sizeof kKeys[0]; ++k) {
      if (counted != kKeys[k]) continue;
      if (given & (1u << k)) bad(s, tok, "key '" + key + "' given twice");
      given |= 1u << k;
    }
    if (tok == "noskip") {
      b.id_skip = false;
      continue;
    }
    if (key == "r") {
      b.num_repeat = to_int(s, tok, val, 1, 1000);
      seen_r = true;
    } else if (key == "k") {
      b.kernel_size = to_int(s, tok, val, 1, 31);
      seen_k = true;
    } else if (key == "s") {
      if (val.size() == 1)
        b.stride_h = b.stride_w = to_int(s, tok, val, 1, 9);
      else if (val.size() == 2) {
        b.stride_h = to_int(s, tok, val.substr(0, 1), 1, 9);
        b.stride_w = to_int(s, tok, val.substr(1, 1), 1, 9);
      } else
        bad(s, tok, "strides are one or two digits, e.g. s2 or s22");
      seen_s = true;
    } else if (key == "e") {
      b.expand_ratio = to_int(s, tok, val, 1, 64);
      seen_e = true;
    } else if (key == "i") {
      b.input_filters = to_int(s, tok, val, 1, 1 << 20);
      seen_i = true;
    } else if (key == "o") {
      b.output_filters = to_int(s, tok, val, 1, 1 << 20);
      seen_o = true;
    } else if (key == "se") {
      char* end = nullptr;
      const double r = std::strtod(val.c_str(), &end);
      if (val.empty() || end == nullptr || *end != '\0' || !(r > 0.0) || r > 1.0)
        bad(s, tok, "se ratio must be in (0, 1]");
      b.se_ratio = r;
    } else if (key == "f") {
      b.fused = to_int(s, tok, val, 0, 1) == 1;
    } else if (key == "d" || key == "p") {
      b.space2depth = to_int(s, tok, val, 0, 2);
    }  // p: the 2019 name of d
    else if (key == "a") {
      b.activation = to_int(s, tok, val, 0, 1) == 0 ? Act::kReLU : Act::kSwish;
    } else
      bad(s, tok, "unknown key (expected r, k, s, e, i, o, se, noskip, f, d or a)");
  }
  const char* missing = !seen_r   ? "r"
                        : !seen_k ? "k"
                        : !seen_s ? "s"
                        : !seen_e ? "e"
                        : !seen_i ? "i"
                        : !seen_o ? "o"
                                  : nullptr;
  if (missing) throw UsageError("block string '" + s + "': missing key '" + missing + "'");
  return b;
}

std::string encode_block(const BlockArgs& b) {
  std::ostringstream o;
  o << 'r' << b.num_repeat << "_k" << b.kernel_size << "_s" << b.stride_h << b.stride_w << "_e" << b.expand_ratio
    << "_i" << b.input_filters << "_o" << b.output_filters;
  if (b.se_ratio) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", *b.se_ratio);
    o << "_se" << buf;
  }
  if (!b.id_skip) o << "_noskip";
  if (b.fused) o << "_f1";
  if (b.space2depth) o << "_d" << b.space2depth;
  if (b.activation) {
    if (*b.activation != Act::kReLU && *b.activation != Act::kSwish) {
      throw UsageError("block strings encode only relu (a0) and swish (a1), not " + act_name(*b.activation));
    }
    o << "_a" << (*b.activation == Act::kReLU ? 0 : 1);
  }
  return o.str();
}

std::vector<BlockArgs> decode_blocks(const std::vector<std::string>& strings) {
  std::vector<BlockArgs> out;
  out.reserve(strings.size());
  for (const auto& s : strings) out.push_back(decode_block(s));
  return out;
}

}  // namespace rp::traces
