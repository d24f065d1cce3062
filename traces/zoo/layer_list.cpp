#include "traces/zoo/layer_list.h"

#include <string>
#include <vector>

#include "simulator/error.h"
#include "simulator/suggest.h"
#include "traces/network/add_layer.h"

namespace rp::traces {
namespace {

constexpr long long kMaxDim = 1ll << 31;       // one dimension of a shape
constexpr long long kMaxElements = 1ll << 42;  // one tensor (a batch of 10^6 ViT token sequences fits)
constexpr long long kMaxUnits = 1ll << 24;     // filters, units, groups, parts, vocabulary rows / 64

const std::vector<std::string> kCommonKeys = {"name",         "kind",         "group", "inputs",
                                              "input_shapes", "output_shape", "macs",  "params"};

// The attribute keys each kind takes, beyond kCommonKeys (what network_yaml writes for it).
std::vector<std::string> attribute_keys(LayerKind k) {
  switch (k) {
    case LayerKind::kConv2D:
      return {"kernel", "stride", "padding", "groups", "filters", "bias"};
    case LayerKind::kDense:
      return {"units", "bias"};
    case LayerKind::kMaxPool:
    case LayerKind::kAvgPool:
      return {"kernel", "stride", "padding"};
    case LayerKind::kActivation:
      return {"act"};
    case LayerKind::kBatchNorm:
      return {"foldable"};
    case LayerKind::kSpaceToDepth:
    case LayerKind::kSpaceToBatch:
      return {"block"};
    case LayerKind::kSplit:
      return {"parts", "part", "begin", "axis"};
    case LayerKind::kConcat:
      return {"axis"};
    case LayerKind::kMatMul:
      return {"trans_b"};
    case LayerKind::kEmbedding:
      return {"vocab"};
    case LayerKind::kPermute:
      return {"perm"};
    case LayerKind::kAttention:
      return {"causal", "cache_len"};
    case LayerKind::kWindowPartition:
    case LayerKind::kWindowReverse:
      return {"window"};
    case LayerKind::kRoll:
      return {"shift"};
    case LayerKind::kChannelShuffle:
      return {"shuffle_groups"};
    case LayerKind::kConstant:
      return {"learned"};
    default:
      return {};
  }
}

LayerKind parse_kind(const YamlMap& m) {
  const std::string s = m.str("kind");
  std::vector<std::string> names;
  for (int k = 0; k <= static_cast<int>(LayerKind::kRoll); ++k) {
    names.push_back(kind_name(static_cast<LayerKind>(k)));
    if (names.back() == s) return static_cast<LayerKind>(k);
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  const std::string hint = did_you_mean(s, names);
  m.fail("kind", "unknown layer kind " + quoted_value(s) + (hint.empty() ? "" : "; " + hint) +
                     " (expected one of: " + list + ")");
}

// A sequence of `count` integers in [lo, hi] (count 0: any length).
std::vector<long long> ints(const YamlMap& m, const std::string& key, size_t count, long long lo, long long hi) {
  const YAML::Node n = m.node()[key];
  if (!n.IsSequence() || (count > 0 && n.size() != count)) {
    m.fail(key,
           count > 0 ? "expected a list of " + std::to_string(count) + " integers" : "expected a list of integers");
  }
  std::vector<long long> out;
  for (const auto& item : n) {
    long long v = 0;
    try {
      v = item.IsScalar() ? std::stoll(item.Scalar()) : lo - 1;
    } catch (const std::exception&) {
      v = lo - 1;
    }
    if (!item.IsScalar() || std::to_string(v) != item.Scalar() || v < lo || v > hi) {
      m.fail(key, "expected integers in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                      (item.IsScalar() ? quoted_value(item.Scalar()) : std::string("a nested value")));
    }
    out.push_back(v);
  }
  return out;
}

Shape shape_at(const YamlMap& m, const std::string& key) {
  if (!m.has(key)) m.str(key);  // the missing-key error
  const std::vector<long long> d = ints(m, key, 4, 1, kMaxDim);
  const Shape s{d[0], d[1], d[2], d[3]};
  if (static_cast<double>(s.n) * s.h * s.w * s.c > static_cast<double>(kMaxElements)) {
    m.fail(key, "a tensor of more than 2^42 elements");
  }
  return s;
}

std::vector<std::string> names_at(const YamlMap& m, const std::string& key) {
  if (!m.has(key)) return {};
  const YAML::Node n = m.node()[key];
  if (!n.IsSequence()) m.fail(key, "expected a list of layer names");
  std::vector<std::string> out;
  for (const auto& item : n) {
    if (!item.IsScalar()) m.fail(key, "expected a list of layer names");
    out.push_back(item.Scalar());
  }
  return out;
}

Padding padding_at(const YamlMap& m) {
  if (!m.has("padding")) return Padding::same();
  if (m.node()["padding"].IsSequence()) {
    const auto p = ints(m, "padding", 4, 0, kMaxDim);
    return Padding::explicit_pad(static_cast<int>(p[0]), static_cast<int>(p[1]), static_cast<int>(p[2]),
                                 static_cast<int>(p[3]));
  }
  const std::string s = m.str("padding");
  if (s == "same") return Padding::same();
  if (s == "valid") return Padding::valid();
  m.fail("padding", "expected same, valid or [top, bottom, left, right], got " + quoted_value(s));
}

void window_at(const YamlMap& m, ConvAttrs& c) {
  const auto k = ints(m, "kernel", 2, 1, kMaxDim);
  const auto s = ints(m, "stride", 2, 1, kMaxDim);
  c.kernel_h = static_cast<int>(k[0]);
  c.kernel_w = static_cast<int>(k[1]);
  c.stride_h = static_cast<int>(s[0]);
  c.stride_w = static_cast<int>(s[1]);
  c.padding = padding_at(m);
}

int small(const YamlMap& m, const std::string& key, long long fallback, long long lo, long long hi) {
  return static_cast<int>(m.integer_in(key, fallback, lo, hi));
}

// The kind's attributes of one layer into `l` (the keys network_yaml writes; docs/networks.md).
void attributes_at(const YamlMap& m, Layer& l) {
  switch (l.kind) {
    case LayerKind::kConv2D:
      window_at(m, l.conv);
      l.conv.groups = small(m, "groups", 1, 1, kMaxUnits);
      l.conv.filters = m.integer_in("filters", 1, kMaxUnits);
      l.conv.bias = m.boolean("bias", false);
      break;
    case LayerKind::kDense:
      l.conv.filters = m.integer_in("units", 1, kMaxUnits);
      l.conv.bias = m.boolean("bias", true);
      break;
    case LayerKind::kMaxPool:
    case LayerKind::kAvgPool:
      window_at(m, l.conv);
      break;
    case LayerKind::kActivation:
      try {
        l.act = parse_act(m.str("act"));
      } catch (const UsageError& e) {
        if (!m.has("act")) throw;
        m.fail("act", e.what());
      }
      break;
    case LayerKind::kSpaceToDepth:
    case LayerKind::kSpaceToBatch:
      l.block = small(m, "block", 0, 1, 64);
      break;
    case LayerKind::kSplit:
      l.axis = small(m, "axis", 3, 0, 3);
      l.parts = small(m, "parts", 0, 0, kMaxUnits);
      l.part = small(m, "part", 0, 0, l.parts > 0 ? l.parts - 1 : 0);
      l.begin = m.integer_in("begin", 0, 0, kMaxDim);
      break;
    case LayerKind::kConcat:
      l.axis = small(m, "axis", 3, 0, 3);
      break;
    case LayerKind::kMatMul:
      l.trans_b = m.boolean("trans_b", false);
      break;
    case LayerKind::kEmbedding:
      l.vocab = m.integer_in("vocab", 1, kMaxUnits * 64);
      break;
    case LayerKind::kPermute:
      if (m.has("perm")) {
        const auto p = ints(m, "perm", 4, 0, 3);
        for (int i = 0; i < 4; ++i) l.perm[static_cast<size_t>(i)] = static_cast<int>(p[static_cast<size_t>(i)]);
      } else {
        l.perm[0] = -1;  // a general relayout to output_shape
      }
      break;
    case LayerKind::kAttention:
      l.causal = m.boolean("causal", false);
      l.cache_len = m.integer_in("cache_len", 0, 0, kMaxSeqLen);
      break;
    case LayerKind::kWindowPartition:
    case LayerKind::kWindowReverse:
      l.block = small(m, "window", 0, 1, kMaxResolution);
      break;
    case LayerKind::kRoll:
      l.shift = small(m, "shift", 0, -kMaxResolution, kMaxResolution);
      break;
    case LayerKind::kChannelShuffle:
      l.shuffle_groups = small(m, "shuffle_groups", 0, 1, kMaxUnits);
      break;
    case LayerKind::kConstant:  // written only where fewer than its elements are learned
      l.learned = m.has("learned") ? m.integer_in("learned", 0, 0, l.output.elements()) : -1;
      break;
    default:
      break;
  }
}

// The dotted prefix of a layer's keys: layers.NAME when the name reads as a key (the error then names the layer),
// else layers.INDEX.
std::string layer_prefix(const YAML::Node& item, size_t index) {
  const YAML::Node n = item.IsMap() ? item["name"] : YAML::Node();
  const std::string name = n.IsDefined() && n.IsScalar() ? n.Scalar() : "";
  const std::string key = "layers." + name;
  return !name.empty() && quoted_key(key) == "'" + key + "'" ? key : "layers." + std::to_string(index);
}

// Checks a written figure of the built layer against the derived one.
void check_equal(const YamlMap& m, const std::string& key, long long built, const std::string& what) {
  if (m.has(key) && m.integer(key) != built) {
    m.fail(key, "the file says " + m.str(key) + ", the layer as built has " + std::to_string(built) + " " + what);
  }
}

void check_shape(const YamlMap& m, const std::string& key, const Shape& built) {
  if (shape_at(m, key) != built) {
    const Shape s = shape_at(m, key);
    m.fail(key, "the file says " + s.str() + ", the layer as built has " + built.str() +
                    " (an edited shape: the IR derives it from the inputs and attributes)");
  }
}

// One layer of the list, added to `net` (the file's batch).
void add_listed(Network& net, const YamlMap& m) {
  if (!m.node().IsMap()) m.fail("name", "expected a mapping (one layer)");
  const LayerKind kind = parse_kind(m);
  std::vector<std::string> allowed = kCommonKeys;
  for (const auto& k : attribute_keys(kind)) allowed.push_back(k);
  m.reject_unknown(allowed);
  Layer l;
  l.name = m.str("name");
  l.kind = kind;
  l.output = shape_at(m, "output_shape");
  attributes_at(m, l);
  std::vector<int> inputs;
  for (const auto& in : names_at(m, "inputs")) {
    const int id = net.find(in);
    if (id < 0) m.fail("inputs", "no earlier layer named " + quoted_value(in) + " (layers are listed producers first)");
    inputs.push_back(id);
  }
  if (net.find(l.name) >= 0) m.fail("name", "a second layer named " + quoted_value(l.name));
  net.set_group(m.str("group", ""));
  int id = 0;
  try {
    id = add_layer(net, l, inputs);
  } catch (const UsageError& e) {
    m.fail("kind", e.what());
  }
  const Layer& built = net.layer(id);
  check_shape(m, "output_shape", built.output);
  if (m.has("input_shapes")) {
    const YAML::Node shapes = m.node()["input_shapes"];
    if (!shapes.IsSequence() || shapes.size() != inputs.size()) m.fail("input_shapes", "expected one shape per input");
  }
  check_equal(m, "macs", built.macs, "MACs");
  check_equal(m, "params", built.params, "parameters");
}

}  // namespace

bool is_layer_list(const YamlMap& root) { return root.has("layers"); }

Network rescale(const Network& net, int64_t batch, DType dtype) {
  const int64_t from = net.batch();
  Network out(net.name(), dtype);
  for (const Layer& l : net.layers()) {
    out.set_group(l.group);
    Layer proto = l;
    const bool attribute_shape = l.kind == LayerKind::kInput || l.kind == LayerKind::kReshape ||
                                 l.kind == LayerKind::kWindowReverse ||
                                 (l.kind == LayerKind::kPermute && l.perm[0] < 0);
    if (attribute_shape && batch != from) {
      if (l.output.n % from != 0) {
        throw UsageError("layer '" + l.name + "': its first dimension " + std::to_string(l.output.n) +
                         " is not a multiple of the batch " + std::to_string(from) +
                         " it was written at, so it cannot be rebuilt at batch " + std::to_string(batch) +
                         " (the batch must be the outermost dimension; import the model at the batch wanted)");
      }
      proto.output.n = l.output.n / from * batch;
    }
    add_layer(out, proto, l.inputs);
  }
  return out;
}

Network load_layer_list(const YamlMap& root, const BuildOptions& options) {
  root.reject_unknown({"name", "dtype", "batch", "resolution", "macs", "params", "layers"});
  const YAML::Node list = root.node()["layers"];
  if (!list.IsSequence() || list.size() == 0) root.fail("layers", "expected a non-empty list of layers");
  DType dtype = options.dtype;
  try {
    if (root.has("dtype")) parse_dtype(root.str("dtype"));  // checked; the run's precision is what is built
  } catch (const UsageError& e) {
    root.fail("dtype", e.what());
  }
  const std::string file = root.file();
  const size_t slash = file.find_last_of('/'), dot = file.find_last_of('.');
  const std::string stem = file.substr(slash == std::string::npos ? 0 : slash + 1,
                                       dot == std::string::npos || (slash != std::string::npos && dot < slash)
                                           ? std::string::npos
                                           : dot - (slash == std::string::npos ? 0 : slash + 1));
  Network net(root.str("name", stem), dtype);
  for (size_t i = 0; i < list.size(); ++i) add_listed(net, YamlMap(list[i], file, layer_prefix(list[i], i)));
  if (net.layers().front().kind != LayerKind::kInput) root.fail("layers", "the first layer must be an input");
  const long long written = root.integer_in("batch", net.batch(), 1, kMaxBatch);
  if (written != net.batch()) root.fail("batch", "the first input's batch is " + std::to_string(net.batch()));
  check_equal(root, "macs", net.macs(), "MACs in all");
  check_equal(root, "params", net.params(), "parameters in all");
  if (net.seq_len() == 0 && options.resolution > 0 && options.resolution != net.resolution()) {
    throw UsageError(file + ": resolution " + std::to_string(options.resolution) +
                     " asked, but a layer list is fixed at " + "its own (" + std::to_string(net.resolution()) +
                     "): import the model again at that input shape");
  }
  if (net.seq_len() > 0 && options.seq_len > 0 && options.seq_len != net.seq_len()) {
    throw UsageError(file + ": sequence length " + std::to_string(options.seq_len) + " asked, but a layer list is " +
                     "fixed at its own (" + std::to_string(net.seq_len()) + "): import the model again at that length");
  }
  if (options.batch == net.batch()) return net;
  try {
    return rescale(net, options.batch, dtype);
  } catch (const UsageError& e) {
    throw UsageError(file + ": " + e.what());
  }
}

}  // namespace rp::traces
