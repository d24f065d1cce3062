#include "traces/network/add_layer.h"

#include <string>

#include "simulator/error.h"

namespace rp::traces {

namespace {

int arg(const Layer& proto, const std::vector<int>& inputs, size_t i) {
  if (i >= inputs.size()) {
    throw UsageError("layer '" + proto.name + "': " + kind_name(proto.kind) + " needs " + std::to_string(i + 1) +
                     " input(s), got " + std::to_string(inputs.size()));
  }
  return inputs[i];
}

}  // namespace

int add_layer(Network& net, const Layer& p, const std::vector<int>& in) {
  const std::string& n = p.name;
  auto x = [&](size_t i) { return arg(p, in, i); };
  switch (p.kind) {
    case LayerKind::kInput:
      return net.add_input(n, p.output);
    case LayerKind::kConv2D:
      return net.add_conv2d(n, x(0), p.conv);
    case LayerKind::kDense:
      return net.add_dense(n, x(0), p.conv.filters, p.conv.bias);
    case LayerKind::kBatchNorm:
      return net.add_batch_norm(n, x(0));
    case LayerKind::kActivation:
      return net.add_activation(n, x(0), p.act);
    case LayerKind::kAdd:
      return net.add_add(n, x(0), x(1));
    case LayerKind::kMul:
      return net.add_mul(n, x(0), x(1));
    case LayerKind::kGlobalAvgPool:
      return net.add_global_avg_pool(n, x(0));
    case LayerKind::kMaxPool:
      return net.add_max_pool(n, x(0), p.conv);
    case LayerKind::kAvgPool:
      return net.add_avg_pool(n, x(0), p.conv);
    case LayerKind::kSpaceToDepth:
      return net.add_space_to_depth(n, x(0), p.block);
    case LayerKind::kSpaceToBatch:
      return net.add_space_to_batch(n, x(0), p.block);
    case LayerKind::kConcat:
      if (in.empty()) x(0);
      return net.add_concat(n, in, p.axis);
    case LayerKind::kSplit:
      return p.parts > 0 ? net.add_split(n, x(0), p.parts, p.part, p.axis)
                         : net.add_slice(n, x(0), p.axis, p.begin, p.output.dim(p.axis));
    case LayerKind::kChannelShuffle:
      return net.add_channel_shuffle(n, x(0), p.shuffle_groups);
    case LayerKind::kFlatten:
      return net.add_flatten(n, x(0));
    case LayerKind::kConstant:
      return net.add_constant(n, p.output, p.learned);
    case LayerKind::kMatMul:
      return net.add_matmul(n, x(0), x(1), p.trans_b);
    case LayerKind::kSoftmax:
      return net.add_softmax(n, x(0));
    case LayerKind::kLayerNorm:
      return net.add_layer_norm(n, x(0));
    case LayerKind::kEmbedding:
      return net.add_embedding(n, x(0), p.vocab, p.output.c);
    case LayerKind::kReshape:
      return net.add_reshape(n, x(0), p.output);
    case LayerKind::kPermute:
      return p.perm[0] < 0 ? net.add_relayout(n, x(0), p.output) : net.add_permute(n, x(0), p.perm);
    case LayerKind::kAttention:
      return net.add_attention(n, x(0), x(1), x(2), p.causal, p.cache_len);
    case LayerKind::kWindowPartition:
      return net.add_window_partition(n, x(0), p.block);
    case LayerKind::kWindowReverse:
      return net.add_window_reverse(n, x(0), p.block, p.output.h, p.output.w);
    case LayerKind::kRoll:
      return net.add_roll(n, x(0), p.shift);
  }
  throw UsageError("layer '" + n + "': unknown layer kind");
}

Network replay(const Network& src, const std::function<Shape(const Layer&)>& shape_of) {
  Network out(src.name(), src.dtype());
  for (const Layer& l : src.layers()) {
    out.set_group(l.group);
    Layer proto = l;
    switch (l.kind) {
      case LayerKind::kInput:
      case LayerKind::kConstant:
      case LayerKind::kReshape:
      case LayerKind::kWindowReverse:
        proto.output = shape_of(l);
        break;
      case LayerKind::kPermute:
        if (l.perm[0] < 0) proto.output = shape_of(l);
        break;
      case LayerKind::kSplit:  // a slice keeps its size along the axis; other dims follow the input
        break;
      default:
        break;
    }
    add_layer(out, proto, l.inputs);
  }
  return out;
}

}  // namespace rp::traces
