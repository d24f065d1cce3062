#include "traces/network/layer.h"

#include "simulator/error.h"

namespace rp::traces {

std::string kind_name(LayerKind k) {
  switch (k) {
    case LayerKind::kInput:
      return "input";
    case LayerKind::kConv2D:
      return "conv2d";
    case LayerKind::kDense:
      return "dense";
    case LayerKind::kBatchNorm:
      return "batch_norm";
    case LayerKind::kActivation:
      return "activation";
    case LayerKind::kAdd:
      return "add";
    case LayerKind::kMul:
      return "mul";
    case LayerKind::kGlobalAvgPool:
      return "global_avg_pool";
    case LayerKind::kMaxPool:
      return "max_pool";
    case LayerKind::kAvgPool:
      return "avg_pool";
    case LayerKind::kSpaceToDepth:
      return "space_to_depth";
    case LayerKind::kSpaceToBatch:
      return "space_to_batch";
    case LayerKind::kConcat:
      return "concat";
    case LayerKind::kSplit:
      return "split";
    case LayerKind::kChannelShuffle:
      return "channel_shuffle";
    case LayerKind::kFlatten:
      return "flatten";
    case LayerKind::kConstant:
      return "constant";
    case LayerKind::kMatMul:
      return "matmul";
    case LayerKind::kSoftmax:
      return "softmax";
    case LayerKind::kLayerNorm:
      return "layer_norm";
    case LayerKind::kEmbedding:
      return "embedding";
    case LayerKind::kReshape:
      return "reshape";
    case LayerKind::kPermute:
      return "permute";
    case LayerKind::kAttention:
      return "attention";
    case LayerKind::kWindowPartition:
      return "window_partition";
    case LayerKind::kWindowReverse:
      return "window_reverse";
    case LayerKind::kRoll:
      return "roll";
  }
  return "?";
}

std::string act_name(Act a) {
  switch (a) {
    case Act::kReLU:
      return "relu";
    case Act::kReLU6:
      return "relu6";
    case Act::kSwish:
      return "swish";
    case Act::kHSwish:
      return "hswish";
    case Act::kSigmoid:
      return "sigmoid";
    case Act::kGELU:
      return "gelu";
    case Act::kHSigmoid:
      return "hsigmoid";
    case Act::kTanh:
      return "tanh";
    case Act::kSqrt:
      return "sqrt";
  }
  return "?";
}

const std::vector<Act>& all_acts() {
  static const std::vector<Act> acts{Act::kReLU, Act::kReLU6,    Act::kSwish, Act::kHSwish, Act::kSigmoid,
                                     Act::kGELU, Act::kHSigmoid, Act::kTanh,  Act::kSqrt};
  return acts;
}

Act parse_act(const std::string& s) {
  if (s == "silu") return Act::kSwish;
  if (s == "hardswish") return Act::kHSwish;
  if (s == "hardsigmoid") return Act::kHSigmoid;
  std::string names;
  for (Act a : all_acts()) {
    if (act_name(a) == s) return a;
    names += (names.empty() ? "" : ", ") + act_name(a);
  }
  throw UsageError("unknown activation '" + s + "' (expected " + names + ")");
}

}  // namespace rp::traces
