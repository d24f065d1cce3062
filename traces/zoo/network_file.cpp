#include "traces/zoo/network_file.h"

#include <algorithm>

#include "simulator/error.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/layer_list.h"
#include "traces/zoo/layerwise_net.h"
#include "traces/zoo/mbconv_family.h"
#include "traces/zoo/transformer.h"

namespace rp::traces {
namespace {

std::string stem_of(const std::string& file) {
  const size_t slash = file.find_last_of('/');
  std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
  const size_t dot = base.find_last_of('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

Act act_at(const YamlMap& m, const std::string& key, Act fallback, bool required) {
  if (!required && !m.has(key)) return fallback;
  try {
    return parse_act(m.str(key));
  } catch (const UsageError& e) {
    m.fail(key, e.what());
  }
}

}  // namespace

MbconvSpec load_network_spec(const std::string& file) {
  const YamlMap root = YamlMap::load_file(file);
  root.reject_unknown(
      {"name", "resolution", "activation", "width", "depth", "se_coefficient", "stem", "blocks", "head"});
  // Bounds (docs/models.md "Input limits"): every value is range-checked before it is narrowed to an int.
  FamilyParams p;
  p.resolution = static_cast<int>(root.integer_in("resolution", kMinResolution, kMaxResolution));
  p.block_act = act_at(root, "activation", Act::kReLU, true);
  p.width = root.number_in("width", 1.0, 0, kMaxScale, true);
  p.depth = root.number_in("depth", 1.0, 0, kMaxScale, true);
  p.se_coefficient = root.number_in("se_coefficient", 1.0, 0, kMaxScale, true);

  const YamlMap stem = root.map("stem");
  stem.reject_unknown({"filters", "kernel", "stride", "activation"});
  p.stem_filters = static_cast<int>(stem.integer_in("filters", 1, kMaxFilters));
  p.stem_kernel = static_cast<int>(stem.integer_in("kernel", 3, 1, kMaxKernel));
  p.stem_stride = static_cast<int>(stem.integer_in("stride", 2, 1, kMaxStride));
  p.stem_act = act_at(stem, "activation", p.block_act, false);

  const YamlMap head = root.map("head");
  head.reject_unknown({"filters", "classes", "activation"});
  p.head_filters = static_cast<int>(head.integer_in("filters", 1, kMaxFilters));
  p.num_classes = static_cast<int>(head.integer_in("classes", 1, kMaxClasses));
  p.head_act = act_at(head, "activation", p.block_act, false);

  std::vector<BlockArgs> blocks;
  for (const auto& s : root.str_list("blocks")) {
    try {
      blocks.push_back(decode_block(s));
    } catch (const UsageError& e) {
      root.fail("blocks", e.what());
    }
  }
  long long scaled_blocks = 0;
  for (const auto& b : blocks) scaled_blocks += round_repeats(b.num_repeat, p.depth);
  if (scaled_blocks > kMaxBlocks) {
    root.fail("blocks", std::to_string(scaled_blocks) + " blocks after depth scaling, more than the limit of " +
                            std::to_string(kMaxBlocks));
  }
  return {root.str("name", stem_of(file)), blocks, p};
}

namespace {

// A layer-wise network file (HURRICANE's ops on a skeleton, docs/models.md "Layer-wise networks").
Network load_layerwise_file(const YamlMap& root, const BuildOptions& options) {
  root.reject_unknown({"name", "resolution", "skeleton", "ops"});
  std::vector<OpSpec> ops;
  for (const auto& s : root.str_list("ops")) {
    try {
      ops.push_back(parse_op(s));
    } catch (const UsageError& e) {
      root.fail("ops", e.what());
    }
  }
  Skeleton sk;  // SPOS's 20-layer macro unless `skeleton` says otherwise
  if (root.has("skeleton")) {
    const YamlMap m = root.map("skeleton");
    m.reject_unknown({"stem", "stages", "channels", "head", "classes"});
    const auto ints = [&m](const std::string& key) {
      std::vector<long long> v;
      for (const auto& t : m.str_list(key)) {
        try {
          v.push_back(std::stoll(t));
        } catch (const std::exception&) {
          m.fail(key, "expected integers, got " + quoted_value(t));
        }
        if (v.back() < 1 || v.back() > kMaxFilters) {
          m.fail(key, "expected integers in 1.." + std::to_string(kMaxFilters) + ", got " + quoted_value(t));
        }
      }
      return v;
    };
    sk.stem_filters = m.integer_in("stem", sk.stem_filters, 1, kMaxFilters);
    sk.head_filters = m.integer_in("head", sk.head_filters, 1, kMaxFilters);
    sk.classes = static_cast<int>(m.integer_in("classes", sk.classes, 1, kMaxClasses));
    if (m.has("stages")) {
      sk.stage_layers.clear();
      for (long long v : ints("stages")) sk.stage_layers.push_back(static_cast<int>(v));
    }
    if (m.has("channels")) {
      sk.stage_channels.clear();
      for (long long v : ints("channels")) sk.stage_channels.push_back(v);
    }
    if (sk.stage_layers.size() != sk.stage_channels.size()) m.fail("channels", "expected one width per stage");
    if (sk.layers() > 64)
      m.fail("stages", "expected at most 64 learnable layers in all, got " + std::to_string(sk.layers()));
  } else {
    try {
      sk = default_skeleton(static_cast<int>(std::min<size_t>(ops.size(), 1000)));
    } catch (const UsageError& e) {
      root.fail("ops", e.what());
    }
  }
  sk.resolution = static_cast<int>(root.integer_in("resolution", kMinResolution, kMaxResolution));
  if (options.resolution > 0) sk.resolution = options.resolution;
  if (static_cast<int>(ops.size()) != sk.layers()) {
    root.fail("ops", std::to_string(ops.size()) + " ops for a skeleton of " + std::to_string(sk.layers()) +
                         " learnable layers (skeleton.stages)");
  }
  try {
    return layerwise_network(root.str("name", stem_of(root.file())), sk, ops, options.batch, options.dtype);
  } catch (const UsageError& e) {
    throw UsageError(root.file() + ": " + e.what());
  }
}

// One of `choices` (the first is the default when the key is absent).
std::string choice(const YamlMap& m, const std::string& key, const std::vector<std::string>& choices) {
  const std::string v = m.str(key, choices[0]);
  if (std::find(choices.begin(), choices.end(), v) != choices.end()) return v;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : " or ") + c;
  m.fail(key, "expected " + list + ", got " + quoted_value(v));
}

// A transformer network file (docs/models.md "Transformer networks"): a TransformerSpec's keys under
// `transformer:`, each with the bounds of transformer_keys().
TransformerSpec load_transformer_spec(const YamlMap& root) {
  root.reject_unknown({"name", "resolution", "seq_len", "transformer"});
  const YamlMap t = root.map("transformer");
  std::vector<std::string> allowed = {"norm", "qkv", "causal", "decode", "pooler"};
  for (const auto& k : transformer_keys()) allowed.push_back(k.key);
  t.reject_unknown(allowed);
  TransformerSpec s;
  s.name = root.str("name", stem_of(root.file()));
  for (const auto& k : transformer_keys()) {
    if (k.required || t.has(k.key)) k.set(s, t.integer_in(k.key, k.lo, k.hi));
  }
  s.norm = choice(t, "norm", {"pre", "post"}) == "post" ? NormPlacement::kPost : NormPlacement::kPre;
  s.fused_qkv = choice(t, "qkv", {"fused", "separate"}) == "fused";
  s.causal = t.boolean("causal", false);
  s.decode = t.boolean("decode", false);
  s.pooler = t.boolean("pooler", false);
  if (s.patch > 0) s.resolution = static_cast<int>(root.integer_in("resolution", kMinResolution, kMaxResolution));
  if (s.vocab > 0) s.seq_len = root.integer_in("seq_len", 1, kMaxSeqLen);
  try {
    check_transformer_spec(s);
  } catch (const UsageError& e) {
    root.fail("transformer", e.what());
  }
  return s;
}

}  // namespace

Network load_network_file(const std::string& file, const BuildOptions& options) {
  const YamlMap root = YamlMap::load_file(file);
  if (root.has("ops")) return load_layerwise_file(root, options);
  if (root.has("transformer")) {
    const TransformerSpec s = load_transformer_spec(root);
    try {
      return build_transformer(s, options);
    } catch (const UsageError& e) {
      throw UsageError(file + ": " + e.what());
    }
  }
  if (is_layer_list(root)) return load_layer_list(root, options);  // the IR layer by layer (layer_list.h)
  MbconvSpec s = load_network_spec(file);
  if (options.resolution > 0) s.params.resolution = options.resolution;
  try {
    return build_mbconv_family(s.name, s.blocks, s.params, options.batch, options.dtype);
  } catch (const UsageError& e) {
    throw UsageError(file + ": " + e.what());
  }
}

}  // namespace rp::traces
