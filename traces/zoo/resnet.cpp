#include "traces/zoo/resnet.h"

#include <string>

#include "traces/zoo/conv_blocks.h"

namespace rp::traces {
namespace {

ConvAttrs conv(int k, int s, int64_t filters, int pad) {
  ConvAttrs a;
  a.kernel_h = a.kernel_w = k;
  a.stride_h = a.stride_w = s;
  a.filters = filters;
  a.padding = Padding::explicit_pad(pad, pad, pad, pad);
  return a;
}

int bottleneck(Network& n, const std::string& name, int x, int64_t width, int stride, bool downsample) {
  n.set_group(name);
  const int input = x;
  x = conv_bn(n, name + "/conv1", x, conv(1, 1, width, 0), Act::kReLU);
  x = conv_bn(n, name + "/conv2", x, conv(3, stride, width, 1), Act::kReLU);
  x = conv_bn(n, name + "/conv3", x, conv(1, 1, width * 4, 0), std::nullopt);
  const int skip =
      downsample ? conv_bn(n, name + "/downsample", input, conv(1, stride, width * 4, 0), std::nullopt) : input;
  x = n.add_add(name + "/add", x, skip);
  return n.add_activation(name + "/relu", x, Act::kReLU);
}

}  // namespace

Network build_resnet50(int resolution, int64_t batch, DType dtype) {
  Network n("resnet-50", dtype);
  int x = n.add_input("input", {batch, resolution, resolution, 3});
  n.set_group("stem");
  x = conv_bn(n, "stem", x, conv(7, 2, 64, 3), Act::kReLU);
  ConvAttrs pool = conv(3, 2, 64, 1);
  x = n.add_max_pool("stem/maxpool", x, pool);
  const int blocks[4] = {3, 4, 6, 3};
  const int64_t widths[4] = {64, 128, 256, 512};
  for (int stage = 0; stage < 4; ++stage) {
    for (int b = 0; b < blocks[stage]; ++b) {
      const int stride = (b == 0 && stage > 0) ? 2 : 1;
      x = bottleneck(n, "layer" + std::to_string(stage + 1) + "." + std::to_string(b), x, widths[stage], stride,
                     b == 0);
    }
  }
  n.set_group("head");
  x = n.add_global_avg_pool("head/pool", x);
  n.add_dense("head/fc", x, 1000, true);
  return n;
}

}  // namespace rp::traces
