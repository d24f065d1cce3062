#include "traces/zoo/op_pool.h"

#include <algorithm>

#include "simulator/error.h"
#include "simulator/suggest.h"
#include "traces/zoo/conv_blocks.h"
#include "traces/zoo/zoo.h"

namespace rp::traces {
namespace {

int depthwise(Network& n, const std::string& name, int x, int k, int s, std::optional<Act> act) {
  const int64_t c = n.layer(x).output.c;
  return conv_bn(n, name, x, square_conv(k, s, c, static_cast<int>(c)), act);
}

// Squeeze-and-excitation with reduction 4 and an hswish gate.
int squeeze_excite(Network& n, const std::string& name, int x) {
  const int64_t c = n.layer(x).output.c;
  int s = n.add_global_avg_pool(name + "/pool", x);
  s = n.add_conv2d(name + "/reduce", s, square_conv(1, 1, std::max<int64_t>(1, c / 4), 1, true));
  s = n.add_activation(name + "/relu", s, Act::kReLU);
  s = n.add_conv2d(name + "/expand", s, square_conv(1, 1, c, 1, true));
  s = n.add_activation(name + "/hswish", s, Act::kHSwish);
  return n.add_mul(name + "/mul", x, s);
}

// The main branch of a Choice / Choice_x unit: `x` -> `out` channels, the first depthwise conv with stride `s`.
int choice_branch(Network& n, const std::string& p, int x, const OpSpec& op, int64_t out, int s) {
  if (op.kind == OpSpec::Kind::kChoice) {
    x = conv_bn(n, p + "/pw1", x, square_conv(1, 1, out), Act::kReLU);
    x = depthwise(n, p + "/dw", x, op.kernel, s, std::nullopt);
    x = conv_bn(n, p + "/pw2", x, square_conv(1, 1, out), Act::kReLU);
  } else {
    for (int i = 0; i < 3; ++i) {
      const std::string q = p + "/sep" + std::to_string(i + 1);
      x = depthwise(n, q + "/dw", x, 3, i == 0 ? s : 1, std::nullopt);
      x = conv_bn(n, q + "/pw", x, square_conv(1, 1, out), Act::kReLU);
    }
  }
  return op.se ? squeeze_excite(n, p + "/se", x) : x;
}

int choice(Network& n, const std::string& p, int x, const OpSpec& op, int64_t out, int s) {
  if (out % 2 != 0) {
    throw UsageError(p + ": " + op.name() + " needs an even output width, got " + std::to_string(out));
  }
  const int64_t in = n.layer(x).output.c;
  int left = 0, right = 0;
  if (s == 1 && in == out) {
    left = n.add_split(p + "/split0", x, 2, 0);
    right = choice_branch(n, p + "/main", n.add_split(p + "/split1", x, 2, 1), op, out / 2, 1);
  } else {
    left = depthwise(n, p + "/proj/dw", x, op.kernel, s, std::nullopt);
    left = conv_bn(n, p + "/proj/pw", left, square_conv(1, 1, out / 2), Act::kReLU);
    right = choice_branch(n, p + "/main", x, op, out - out / 2, s);
  }
  const int cat = n.add_concat(p + "/concat", {left, right});
  return n.add_channel_shuffle(p + "/shuffle", cat, 2);
}

}  // namespace

std::string OpSpec::name() const {
  std::string s;
  switch (kind) {
    case Kind::kSep:
      s = "SEP_" + std::to_string(kernel);
      break;
    case Kind::kMb:
      s = "MB_" + std::to_string(kernel) + "_" + std::to_string(expand);
      break;
    case Kind::kChoice:
      s = "Choice_" + std::to_string(kernel);
      break;
    case Kind::kChoiceX:
      s = "Choice_x";
      break;
  }
  return se ? s + "_SE" : s;
}

const std::vector<OpSpec>& op_pool() {
  static const std::vector<OpSpec> pool = [] {
    std::vector<OpSpec> v;
    for (bool se : {false, true}) {
      for (int k : {3, 5, 7}) v.push_back({OpSpec::Kind::kSep, k, 1, se});
      for (int k : {3, 5, 7}) {
        for (int e : {1, 3, 6}) v.push_back({OpSpec::Kind::kMb, k, e, se});
      }
      for (int k : {3, 5, 7}) v.push_back({OpSpec::Kind::kChoice, k, 1, se});
      v.push_back({OpSpec::Kind::kChoiceX, 3, 1, se});
    }
    return v;
  }();
  return pool;
}

std::vector<std::string> op_pool_names() {
  std::vector<std::string> names;
  for (const auto& op : op_pool()) names.push_back(op.name());
  return names;
}

OpSpec parse_op(const std::string& name) {
  for (const auto& op : op_pool()) {
    if (op.name() == name) return op;
  }
  const std::vector<std::string> names = op_pool_names();
  std::string msg = "unknown op '" + name +
                    "' (expected one of SEP_k, MB_k_e, Choice_k, Choice_x with k in 3/5/7, "
                    "e in 1/3/6, optionally followed by _SE";
  const std::string hint = did_you_mean(name, names, 1);
  if (!hint.empty()) msg += "; " + hint;
  throw UsageError(msg + ")");
}

int add_op(Network& n, const std::string& prefix, int input, const OpSpec& op, int64_t out_channels, int stride) {
  if (out_channels < 1 || stride < 1) throw UsageError(prefix + ": out channels and stride must be >= 1");
  n.set_group(prefix);
  const int64_t in = n.layer(input).output.c;
  int x = input;
  switch (op.kind) {
    case OpSpec::Kind::kSep:
      x = depthwise(n, prefix + "/dw", x, op.kernel, stride, Act::kReLU);
      if (op.se) x = squeeze_excite(n, prefix + "/se", x);
      return conv_bn(n, prefix + "/pw", x, square_conv(1, 1, out_channels), Act::kReLU);
    case OpSpec::Kind::kMb:
      if (op.expand > 1) x = conv_bn(n, prefix + "/expand", x, square_conv(1, 1, in * op.expand), Act::kReLU);
      x = depthwise(n, prefix + "/dw", x, op.kernel, stride, Act::kReLU);
      if (op.se) x = squeeze_excite(n, prefix + "/se", x);
      x = conv_bn(n, prefix + "/project", x, square_conv(1, 1, out_channels), std::nullopt);
      return stride == 1 && in == out_channels ? n.add_add(prefix + "/add", x, input) : x;
    case OpSpec::Kind::kChoice:
    case OpSpec::Kind::kChoiceX:
      return choice(n, prefix, x, op, out_channels, stride);
  }
  return x;
}

}  // namespace rp::traces
