#include "traces/zoo/conv_blocks.h"

namespace rp::traces {

ConvAttrs square_conv(int k, int s, int64_t filters, int groups, bool bias) {
  ConvAttrs a;
  a.kernel_h = a.kernel_w = k;
  a.stride_h = a.stride_w = s;
  a.filters = filters;
  a.groups = groups;
  a.bias = bias;
  return a;
}

int conv_bn(Network& n, const std::string& name, int x, const ConvAttrs& a, std::optional<Act> act) {
  x = n.add_conv2d(name, x, a);
  x = n.add_batch_norm(name + "/bn", x);
  return act ? n.add_activation(name + "/" + act_name(*act), x, *act) : x;
}

}  // namespace rp::traces
