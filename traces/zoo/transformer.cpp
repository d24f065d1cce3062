#include "traces/zoo/transformer.h"

#include <array>

#include "simulator/error.h"

namespace rp::traces {
namespace {

[[noreturn]] void bad_spec(const TransformerSpec& s, const std::string& what) {
  throw UsageError(s.name + ": " + what);
}

// One encoder / decoder layer. Pre-LN: h = x + attn(LN(x)), out = h + mlp(LN(h)). Post-LN: h = LN(x + attn(x)),
// out = LN(h + mlp(h)).
int transformer_layer(Network& n, const std::string& p, int x, const TransformerSpec& s, int64_t cache) {
  n.set_group(p);
  const bool pre = s.norm == NormPlacement::kPre;
  int h = pre ? n.add_layer_norm(p + "/ln1", x) : x;
  h = self_attention(n, p + "/attn", h, s.heads, s.fused_qkv, s.causal, cache);
  h = n.add_add(p + "/add1", x, h);
  if (!pre) h = n.add_layer_norm(p + "/ln1", h);
  int m = pre ? n.add_layer_norm(p + "/ln2", h) : h;
  m = mlp_block(n, p + "/mlp", m, s.mlp);
  m = n.add_add(p + "/add2", h, m);
  return pre ? m : n.add_layer_norm(p + "/ln2", m);
}

// Patch embedding of a (B, res, res, 3) image: a patch x patch stride-patch conv, the class token in front and the
// position embedding added: (B, 1, N + 1, D) with N = (res / patch)^2.
int vision_embeddings(Network& n, const TransformerSpec& s, const BuildOptions& o) {
  if (o.resolution % s.patch != 0) {
    throw UsageError(s.name + ": resolution " + std::to_string(o.resolution) + " is not a multiple of the patch size " +
                     std::to_string(s.patch));
  }
  int x = n.add_input("input", {o.batch, o.resolution, o.resolution, 3});
  n.set_group("embeddings");
  ConvAttrs a;
  a.kernel_h = a.kernel_w = a.stride_h = a.stride_w = s.patch;
  a.padding = Padding::valid();
  a.filters = s.hidden;
  a.bias = true;
  x = n.add_conv2d("embeddings/patch", x, a);
  const int64_t grid = o.resolution / s.patch, tokens = grid * grid + 1;
  x = n.add_reshape("embeddings/tokens", x, {o.batch, 1, grid * grid, s.hidden});
  const int cls = n.add_constant("embeddings/class_token", {1, 1, 1, s.hidden});
  x = n.add_concat("embeddings/concat", {cls, x}, 2);  // the class token broadcast over the batch (expand + cat)
  const int pos = n.add_constant("embeddings/position", {1, 1, tokens, s.hidden});
  return n.add_add("embeddings/add_position", x, pos);
}

// Token (+ segment) + position embeddings of (B, 1, S, 1) ids; positions start at `first` (a decode step's cache).
int text_embeddings(Network& n, const TransformerSpec& s, int64_t batch, int64_t seq, int64_t first) {
  if (first + seq > s.positions) {
    throw UsageError(s.name + ": sequence of " + std::to_string(first + seq) + " positions" +
                     (first > 0 ? " (" + std::to_string(first) + " cached + " + std::to_string(seq) + " new)" : "") +
                     " exceeds its " + std::to_string(s.positions) + " learned positions");
  }
  const int ids = n.add_input("input_ids", {batch, 1, seq, 1});
  const int segment_ids = s.segments > 0 ? n.add_input("token_type_ids", {batch, 1, seq, 1}) : -1;
  n.set_group("embeddings");
  int x = n.add_embedding("embeddings/token", ids, s.vocab, s.hidden);
  const int table = n.add_constant("embeddings/position_table", {1, 1, s.positions, s.hidden});
  const int pos = n.add_slice("embeddings/position", table, 2, first, seq);
  x = n.add_add("embeddings/add_position", x, pos);
  if (segment_ids >= 0) {
    const int seg = n.add_embedding("embeddings/segment", segment_ids, s.segments, s.hidden);
    x = n.add_add("embeddings/add_segment", x, seg);
  }
  return s.norm == NormPlacement::kPost ? n.add_layer_norm("embeddings/ln", x) : x;
}

}  // namespace

void check_transformer_spec(const TransformerSpec& s) {
  if (s.layers < 1 || s.hidden < 1 || s.heads < 1 || s.mlp < 1)
    bad_spec(s, "layers, hidden, heads and mlp must be >= 1");
  if (s.hidden % s.heads != 0) {
    bad_spec(s, "heads " + std::to_string(s.heads) + " must divide hidden " + std::to_string(s.hidden));
  }
  if ((s.patch > 0) == (s.vocab > 0)) bad_spec(s, "give exactly one of patch (images) and vocab (token ids)");
  if (s.patch > 0 && (s.positions > 0 || s.segments > 0 || s.pooler || s.decode || s.causal)) {
    bad_spec(s, "positions, segments, pooler, decode and causal are for token models (vocab), not patch models");
  }
  if (s.vocab > 0 && s.positions < 1) bad_spec(s, "a token model (vocab) needs positions >= 1");
  if (s.vocab > 0 && s.classes > 0) bad_spec(s, "classes is for patch models; a token model ends at its last layer");
  if (s.decode && !s.causal) bad_spec(s, "a decode step (decode: true) needs causal: true");
  if (s.decode && s.pooler) bad_spec(s, "a decode step has no pooler");
}

int self_attention(Network& n, const std::string& p, int x, int heads, bool fused_qkv, bool causal, int64_t cache) {
  const Shape in = n.layer(x).output;  // (B, 1, S, D)
  const int64_t b = in.n, seq = in.w, d = in.c, dh = d / heads;
  const std::array<const char*, 3> names = {"q", "k", "v"};
  std::array<int, 3> qkv{};
  const int fused = fused_qkv ? n.add_dense(p + "/qkv", x, 3 * d) : -1;
  for (size_t i = 0; i < 3; ++i) {
    const std::string t = p + "/" + names[i];
    qkv[i] = fused_qkv ? n.add_split(t, fused, 3, static_cast<int>(i), 3) : n.add_dense(t, x, d);
    qkv[i] = n.add_reshape(t + "/split_heads", qkv[i], {b, seq, heads, dh});
    qkv[i] = n.add_permute(t + "/to_heads", qkv[i], {{0, 2, 1, 3}});  // (B, heads, S, Dh)
  }
  int a = n.add_attention(p + "/attention", qkv[0], qkv[1], qkv[2], causal, cache);
  a = n.add_permute(p + "/from_heads", a, {{0, 2, 1, 3}});  // (B, S, heads, Dh)
  a = n.add_reshape(p + "/merge_heads", a, {b, 1, seq, d});
  return n.add_dense(p + "/out", a, d);
}

int mlp_block(Network& n, const std::string& p, int x, int64_t mlp) {
  const int64_t d = n.layer(x).output.c;
  int h = n.add_dense(p + "/fc1", x, mlp);
  h = n.add_activation(p + "/gelu", h, Act::kGELU);
  return n.add_dense(p + "/fc2", h, d);
}

Network build_transformer(const TransformerSpec& s, const BuildOptions& options) {
  check_transformer_spec(s);
  BuildOptions o = options;
  if (o.resolution == 0) o.resolution = s.resolution;
  if (o.seq_len == 0) o.seq_len = s.seq_len;
  Network n(s.name, o.dtype);
  int x = 0;
  int64_t cache = 0;
  if (s.patch > 0) {
    x = vision_embeddings(n, s, o);
  } else if (s.decode) {
    cache = o.seq_len;  // one new token over seq_len cached positions
    x = text_embeddings(n, s, o.batch, 1, cache);
  } else {
    x = text_embeddings(n, s, o.batch, o.seq_len, 0);
  }
  for (int i = 0; i < s.layers; ++i) x = transformer_layer(n, "layers." + std::to_string(i), x, s, cache);
  n.set_group("head");
  if (s.norm == NormPlacement::kPre) x = n.add_layer_norm("head/ln", x);
  if (s.pooler || s.classes > 0) x = n.add_slice("head/first_token", x, 2, 0, 1);
  if (s.pooler) x = n.add_activation("head/pooler/tanh", n.add_dense("head/pooler", x, s.hidden), Act::kTanh);
  if (s.classes > 0) n.add_dense("head/classifier", x, s.classes);
  return n;
}

const std::vector<TransformerKey>& transformer_keys() {
  static const std::vector<TransformerKey> keys = {
      {"layers", 1, 1000, true, [](TransformerSpec& s, long long v) { s.layers = static_cast<int>(v); }},
      {"hidden", 1, 65536, true, [](TransformerSpec& s, long long v) { s.hidden = v; }},
      {"heads", 1, 1024, true, [](TransformerSpec& s, long long v) { s.heads = static_cast<int>(v); }},
      {"mlp", 1, 1 << 20, true, [](TransformerSpec& s, long long v) { s.mlp = v; }},
      {"patch", 1, 256, false, [](TransformerSpec& s, long long v) { s.patch = static_cast<int>(v); }},
      {"vocab", 1, 1 << 24, false, [](TransformerSpec& s, long long v) { s.vocab = v; }},
      {"positions", 1, kMaxSeqLen, false, [](TransformerSpec& s, long long v) { s.positions = v; }},
      {"segments", 1, 1024, false, [](TransformerSpec& s, long long v) { s.segments = v; }},
      {"classes", 1, kMaxClasses, false, [](TransformerSpec& s, long long v) { s.classes = v; }},
  };
  return keys;
}

}  // namespace rp::traces
