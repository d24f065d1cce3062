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
  }
  return "?";
}

Act parse_act(const std::string& s) {
  if (s == "relu") return Act::kReLU;
  if (s == "relu6") return Act::kReLU6;
  if (s == "swish" || s == "silu") return Act::kSwish;
  if (s == "hswish" || s == "hardswish") return Act::kHSwish;
  if (s == "sigmoid") return Act::kSigmoid;
  throw UsageError("unknown activation '" + s + "' (expected relu, relu6, swish, hswish or sigmoid)");
}

}  // namespace rp::traces
