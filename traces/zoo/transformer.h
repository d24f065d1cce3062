#pragma once
// Transformers as data (ViT / DeiT, BERT, GPT-2): a TransformerSpec and the one builder that turns it into the IR at
// any batch, resolution (vision) or sequence length (text). Layouts follow traces/network/network.h: a sequence is
// (B, 1, S, D), attention heads (B, H, S, Dh). Format of the spec in a network file: docs/models.md.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "traces/network/network.h"
#include "traces/zoo/zoo.h"

namespace rp::traces {

enum class NormPlacement { kPre, kPost };  // pre-LN (ViT, GPT-2: x + f(LN(x))) or post-LN (BERT: LN(x + f(x)))

struct TransformerSpec {
  std::string name;
  int layers = 12;
  int64_t hidden = 768;
  int heads = 12;         // must divide hidden
  int64_t mlp = 3072;     // feed-forward width (hidden x the MLP ratio)
  int patch = 0;          // > 0: a vision transformer on patch x patch patches of (B, res, res, 3) images
  int64_t vocab = 0;      // > 0: token ids (B, 1, S, 1) through a vocab x hidden embedding (exactly one of the two)
  int64_t positions = 0;  // learned position rows of a text model (S <= positions); vision: (res/patch)^2 + 1
  int64_t segments = 0;   // token-type rows (BERT: 2; 0: no segment input)
  NormPlacement norm = NormPlacement::kPre;
  bool causal = false;    // causal self-attention (GPT)
  bool fused_qkv = true;  // one hidden -> 3 x hidden dense, or three dense layers (BERT)
  bool decode = false;    // one new token attending over a KV cache of seq_len positions (causal text models)
  bool pooler = false;    // BERT pooler: dense + tanh on the first token
  int64_t classes = 0;    // vision: classifier on the class token (0: none)
  int resolution = 0;     // default resolution (vision)
  int64_t seq_len = 0;    // default sequence length (text), or KV-cache length of a decode step
};

// Throws UsageError naming the spec and the field when the fields contradict each other (heads not dividing
// hidden, both or neither of patch and vocab, decode without causal, ...).
void check_transformer_spec(const TransformerSpec& s);

// Builds the spec at options.batch and options.resolution / options.seq_len (0: the spec's own). A resolution that
// is not a multiple of the patch, or a sequence (plus cached positions) longer than `positions`, is a UsageError.
Network build_transformer(const TransformerSpec& s, const BuildOptions& options);

// The keys of a network file's `transformer:` section, each with its bounds (docs/models.md), so that reading and
// documenting share one table. `set` stores a checked value in the spec.
struct TransformerKey {
  const char* key;
  long long lo, hi;
  bool required;  // absent and not required: the spec keeps its 0 (no patch, vocab, positions, segments, classes)
  std::function<void(TransformerSpec&, long long)> set;
};
const std::vector<TransformerKey>& transformer_keys();

// Multi-head self-attention as one kAttention op on x (B, 1, S, D): q, k, v from dense layers (one fused dense and
// three slices, or three dense layers), each reshaped and permuted to (B, heads, S, D / heads); the heads merged
// back and projected by `prefix/out`. Returns the projection's id. Used by the Swin windows as well.
int self_attention(Network& n, const std::string& prefix, int x, int heads, bool fused_qkv, bool causal,
                   int64_t cache_len);

// dense(mlp) -> GELU -> dense(back to x's width); returns the last id.
int mlp_block(Network& n, const std::string& prefix, int x, int64_t mlp);

}  // namespace rp::traces
