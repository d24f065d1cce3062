#pragma once
// One node of the network IR: a layer with its attributes, its output shape and derived counts.
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
  kFlatten
};
enum class Act { kReLU, kReLU6, kSwish, kHSwish, kSigmoid };

std::string kind_name(LayerKind k);   // "conv2d", "dense", ... (stable: used in JSON and HDF5)
std::string act_name(Act a);          // "relu", "relu6", "swish", "hswish", "sigmoid"
Act parse_act(const std::string& s);  // also accepts "silu" for swish; throws UsageError

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
  int parts = 1, part = 0;  // split: channel slice `part` of `parts` equal slices
  int shuffle_groups = 1;   // channel shuffle
  bool foldable = false;    // batch norm that directly follows a conv and can be folded into it
  std::string group;        // the block / stage this layer belongs to (reports), e.g. "blocks.3"

  // Derived when the layer is added (per the network's batch).
  int64_t macs = 0;    // multiply-accumulates: conv, depthwise, dense only (EfficientNet convention)
  int64_t params = 0;  // trainable parameters: weights, biases, batch-norm gamma and beta

  bool is_depthwise() const { return kind == LayerKind::kConv2D && conv.groups > 1 && conv.groups == conv.filters; }
  int64_t flops() const { return 2 * macs; }
};

}  // namespace rp::traces
