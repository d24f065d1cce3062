#include "nas/space/proxy_network.h"

#include <stdexcept>

#include "nas/space/arch_network.h"
#include "simulator/error.h"
#include "traces/zoo/mbconv_family.h"

namespace rp::nas {

using traces::LayerKind;

traces::Network with_input_channels(const traces::Network& src, int channels) {
  traces::Network n(src.name(), src.dtype());
  for (const traces::Layer& l : src.layers()) {
    n.set_group(l.group);
    const std::vector<int>& in = l.inputs;
    switch (l.kind) {
      case LayerKind::kInput: {
        traces::Shape s = l.output;
        s.c = channels;
        n.add_input(l.name, s);
        break;
      }
      case LayerKind::kConv2D:
        n.add_conv2d(l.name, in[0], l.conv);
        break;
      case LayerKind::kBatchNorm:
        n.add_batch_norm(l.name, in[0]);
        break;
      case LayerKind::kActivation:
        n.add_activation(l.name, in[0], l.act);
        break;
      case LayerKind::kAdd:
        n.add_add(l.name, in[0], in[1]);
        break;
      case LayerKind::kMul:
        n.add_mul(l.name, in[0], in[1]);
        break;
      case LayerKind::kGlobalAvgPool:
        n.add_global_avg_pool(l.name, in[0]);
        break;
      case LayerKind::kDense:
        n.add_dense(l.name, in[0], l.conv.filters, l.conv.bias);
        break;
      default:
        throw std::logic_error("proxy network: unexpected layer kind " + traces::kind_name(l.kind));
    }
  }
  return n;
}

traces::Network proxy_network(const SearchSpace& space, const Choices& c, const ProxyOptions& o) {
  if (o.width < 0.125 || o.width > 4) throw UsageError("proxy width must be in [0.125, 4]");
  traces::FamilyParams p = space.family;
  p.width = o.width;
  p.depth_divisor = o.divisor;
  p.resolution = o.resolution;
  p.stem_stride = 1;
  p.num_classes = o.classes;
  const traces::Network rgb = traces::build_mbconv_family("proxy", arch_blocks(space, c), p, 1, traces::DType::kF32);
  return with_input_channels(rgb, o.channels);
}

traces::Network small_cnn(const ProxyOptions& o) {
  traces::Network n("small-cnn", traces::DType::kF32);
  int x = n.add_input("input", {1, o.resolution, o.resolution, o.channels});
  traces::ConvAttrs pool;
  pool.kernel_h = pool.kernel_w = pool.stride_h = pool.stride_w = 2;
  for (int filters : {16, 32}) {
    const std::string name = "conv" + std::to_string(filters);
    traces::ConvAttrs a;
    a.kernel_h = a.kernel_w = 3;
    a.filters = filters;
    n.set_group(name);
    x = n.add_conv2d(name, x, a);
    x = n.add_batch_norm(name + "/bn", x);
    x = n.add_activation(name + "/relu", x, traces::Act::kReLU);
    x = n.add_max_pool(name + "/pool", x, pool);
  }
  n.set_group("head");
  x = n.add_flatten("head/flatten", x);
  n.add_dense("head/fc", x, o.classes, true);
  return n;
}

}  // namespace rp::nas
