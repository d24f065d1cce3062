#pragma once
// One node of the network IR: a layer with its attributes, its output shape and derived counts.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "traces/network/tensor.h"

namespace rp::traces {

enum class LayerKind {
  kInput,
  kConv2D,
  kDense,
  kBatchNorm,
  kActivation,
  kAdd,
  kMul,
  kGlobalAvgPool,
  kMaxPool,
  kAvgPool,
  kSpaceToDepth,
  kSpaceToBatch,
  kConcat,
  kSplit,
  kChannelShuffle,
  kFlatten,
  // Transformer and layout ops (docs/models.md, "Network IR"). Shapes are rank-4 row-major tensors (n, h, w, c), the
  // last dimension innermost: a sequence [B, S, D] is (B, 1, S, D); attention heads [B, H, S, Dh] are (B, H, S, Dh).
  kConstant,         // a tensor the model holds (position embedding, class token, layer scale, a mask): params = its
                     // elements, or `learned` where it is derived from fewer learned parameters (or none)
  kMatMul,           // batched matmul over (n, h), either operand broadcast where its n or h is 1
  kSoftmax,          // over the last dimension
  kLayerNorm,        // over the last dimension, affine (2 x C parameters)
  kEmbedding,        // gather of rows of a vocab x C table by index
  kReshape,          // same elements, new shape: metadata only in row-major order (a family may relayout)
  kPermute,          // dimension permutation (perm), or a general relayout (perm[0] == -1, from > 4-D imports)
  kAttention,        // scaled-dot-product attention of q, k, v; lowered fused or unfused (stack.lowering)
  kWindowPartition,  // Swin: n x H x W x C -> (n H/ws W/ws) x 1 x ws^2 x C (block = ws)
  kWindowReverse,    // its inverse
  kRoll              // Swin shifted windows: cyclic shift by `shift` along h and w
};
// Every activation is its own op with its own cost (nothing substituted): gelu is the exact (erf) form, hsigmoid is
// relu6(x + 3) / 6, sqrt the square root (of a sum of squares: an L2 norm, Swin V2's cosine attention).
enum class Act { kReLU, kReLU6, kSwish, kHSwish, kSigmoid, kGELU, kHSigmoid, kTanh, kSqrt };

std::string kind_name(LayerKind k);  // "conv2d", "dense", ... (stable: used in JSON and HDF5)
std::string act_name(Act a);  // "relu", "relu6", "swish", "hswish", "sigmoid", "gelu", "hsigmoid", "tanh", "sqrt"
const std::vector<Act>& all_acts();  // in enum order
// Also accepts "silu" for swish, "hardswish" and "hardsigmoid"; throws UsageError naming the accepted names.
Act parse_act(const std::string& s);

// TF-style padding. kSame: out = ceil(in / stride). kValid: out = floor((in - k) / stride) + 1.
struct Padding {
  enum class Mode { kSame, kValid, kExplicit } mode = Mode::kSame;
  int top = 0, bottom = 0, left = 0, right = 0;  // kExplicit only
  static Padding same() { return {}; }
  static Padding valid() { return {Mode::kValid}; }
  static Padding explicit_pad(int t, int b, int l, int r) { return {Mode::kExplicit, t, b, l, r}; }
};

// Convolution, pooling and dense attributes. For dense only `filters` (units) and `bias` are used.
struct ConvAttrs {
  int kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
  Padding padding;
  int groups = 1;       // 1 = dense conv; groups == input channels == filters: depthwise
  int64_t filters = 0;  // output channels
  bool bias = false;
};

struct Layer {
  std::string name;
  LayerKind kind = LayerKind::kInput;
  std::vector<int> inputs;  // producer layer ids (indices into Network::layers())
  Shape output;

  ConvAttrs conv;           // conv2d, dense, max/avg pool (kernel, stride, padding)
  Act act = Act::kReLU;     // activation layers
  int block = 0;            // space-to-depth / space-to-batch block size
  int parts = 1, part = 0;  // split: slice `part` of `parts` equal slices along `axis` (parts 0: a slice at begin)
  int axis = 3;             // concat / split: 0 n, 1 h, 2 w, 3 c
  int64_t begin = 0;        // split: first index along axis
  std::array<int, 4> perm{{0, 1, 2, 3}};  // permute: output dim i is input dim perm[i]; perm[0] == -1: relayout
  bool trans_b = false;                   // matmul: the second operand is stored (.., N, K) (a folded transpose)
  bool causal = false;                    // attention: causal mask (half the scores are masked, all are computed)
  int64_t cache_len = 0;                  // attention: cached key / value positions read from memory (a decode step)
  int64_t vocab = 0;                      // embedding: table rows
  int shift = 0;                          // roll: cyclic shift along h and w
  int shuffle_groups = 1;                 // channel shuffle
  // constant: the learned parameters it is derived from (a position-bias table gathered per window, an MLP of
  // constant inputs evaluated at import; 0 for a mask computed from sizes); -1: all its elements are learned
  int64_t learned = -1;
  bool foldable = false;  // batch norm that directly follows a conv and can be folded into it
  std::string group;      // the block / stage this layer belongs to (reports), e.g. "blocks.3"

  // Derived when the layer is added (per the network's batch).
  int64_t macs = 0;    // multiply-accumulates: conv, depthwise, dense, matmul, attention (EfficientNet convention)
  int64_t params = 0;  // trainable parameters: weights, biases, batch-norm gamma and beta

  // Elements held in memory as weights: params, except a constant, whose every element is stored.
  int64_t weight_elements() const { return kind == LayerKind::kConstant ? output.elements() : params; }
  bool is_depthwise() const { return kind == LayerKind::kConv2D && conv.groups > 1 && conv.groups == conv.filters; }
  int64_t flops() const { return 2 * macs; }
};

}  // namespace rp::traces
