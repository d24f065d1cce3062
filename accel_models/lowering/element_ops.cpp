#include "accel_models/lowering/element_ops.h"

#include "accel_models/config/param.h"

namespace rp::accel {

double ElementCosts::activation(traces::Act a) const {
  switch (a) {
    case traces::Act::kReLU:
      return relu;
    case traces::Act::kReLU6:
      return relu6;
    case traces::Act::kSwish:
      return swish;
    case traces::Act::kHSwish:
      return hswish;
    case traces::Act::kSigmoid:
      return sigmoid;
    case traces::Act::kGELU:
      return gelu;
    case traces::Act::kHSigmoid:
      return hsigmoid;
    case traces::Act::kTanh:
      return tanh;
    case traces::Act::kSqrt:
      return sqrt;
  }
  return relu;
}

void describe(ParamVisitor& v, ElementCosts& c) {
  auto cost = [&](const char* key, double& field, double fallback, const char* what) {
    ParamSpec s = ParamSpec::non_negative("ops", 1, what);
    if (fallback >= 0) s.or_default(fallback);
    v.real(key, field, s);
  };
  // Defaults: ALU operations of the plain formula (max(x, 0); min(max(x, 0), 6); x * sigmoid(x) = exp, add,
  // reciprocal, multiply; ...), as in the shipped configs.
  cost("relu", c.relu, 1, "max(x, 0)");
  cost("relu6", c.relu6, 2, "min(max(x, 0), 6)");
  cost("swish", c.swish, 4, "x * sigmoid(x)");
  cost("hswish", c.hswish, 4, "x * relu6(x + 3) / 6");
  cost("sigmoid", c.sigmoid, 3, "exp, add, reciprocal");
  cost("gelu", c.gelu, 10, "0.5 x (1 + erf(x / sqrt 2)), erf as a 5-term polynomial times exp");
  cost("hsigmoid", c.hsigmoid, 4, "relu6(x + 3) / 6: add, max, min, multiply");
  cost("tanh", c.tanh, 5, "2 sigmoid(2x) - 1: multiply, sigmoid, fused multiply-add");
  cost("sqrt", c.sqrt, 2, "reciprocal square root estimate and a multiply");
  cost("softmax", c.softmax, 5, "per element: running max, subtract, exp, sum, multiply by the reciprocal");
  cost("layer_norm", c.layer_norm, 5, "per element: sum, subtract mean, square-accumulate, scale, gamma-beta");
  cost("add", c.add, 1, "elementwise add (and a bias)");
  cost("mul", c.mul, 1, "elementwise multiply");
  cost("batch_norm", c.batch_norm, 2, "scale and shift, when not folded");
  cost("reduce", c.reduce, 1, "per input element of a global pool");
  cost("pool", c.pool, 1, "per window element of max / avg pooling");
  cost("copy", c.copy, 1,
       "layout copies: space-to-depth / batch, concat, split, shuffle, permute, windows, roll, embedding gather");
}

double element_ops(const traces::Network& net, const traces::Layer& l, const ElementCosts& c, bool fold_batch_norm,
                   bool depthwise_here) {
  using traces::LayerKind;
  const double out = static_cast<double>(l.output.elements());
  switch (l.kind) {
    case LayerKind::kBatchNorm:
      return (l.foldable && fold_batch_norm) ? 0 : out * c.batch_norm;
    case LayerKind::kActivation:
      return out * c.activation(l.act);
    case LayerKind::kAdd:
      return out * c.add;
    case LayerKind::kMul:
      return out * c.mul;
    case LayerKind::kGlobalAvgPool:
      return static_cast<double>(net.layer(l.inputs[0]).output.elements()) * c.reduce;
    case LayerKind::kMaxPool:
    case LayerKind::kAvgPool:
      return out * l.conv.kernel_h * l.conv.kernel_w * c.pool;
    case LayerKind::kSpaceToDepth:
    case LayerKind::kSpaceToBatch:
    case LayerKind::kConcat:
    case LayerKind::kSplit:
    case LayerKind::kChannelShuffle:
      return out * c.copy;
    case LayerKind::kConv2D:
      if (l.is_depthwise() && depthwise_here) return static_cast<double>(l.macs) * c.depthwise_mac;
      return l.conv.bias ? out * c.add : 0;
    case LayerKind::kDense:
      return l.conv.bias ? out * c.add : 0;
    case LayerKind::kSoftmax:
      return out * c.softmax;
    case LayerKind::kLayerNorm:
      return out * c.layer_norm;
    case LayerKind::kEmbedding:
    case LayerKind::kPermute:
    case LayerKind::kWindowPartition:
    case LayerKind::kWindowReverse:
    case LayerKind::kRoll:
      return out * c.copy;
    case LayerKind::kAttention:  // the scores' scale and softmax (the GEMMs are matrix work)
      return static_cast<double>(l.output.n * l.output.h * l.output.w) *
             static_cast<double>(net.layer(l.inputs[1]).output.w + l.cache_len) * (c.softmax + c.mul);
    case LayerKind::kMatMul:
    case LayerKind::kInput:
    case LayerKind::kConstant:
    case LayerKind::kReshape:
    case LayerKind::kFlatten:
      return 0;
  }
  return 0;
}

}  // namespace rp::accel
