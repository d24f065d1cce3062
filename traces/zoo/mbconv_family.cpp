#include "traces/zoo/mbconv_family.h"

#include <algorithm>
#include <cmath>

#include "simulator/error.h"
#include "traces/zoo/conv_blocks.h"

namespace rp::traces {

int round_filters(int filters, double width, int divisor) {
  const double f = filters * width;
  int rounded = std::max(divisor, static_cast<int>(f + divisor / 2.0) / divisor * divisor);
  if (rounded < 0.9 * f) rounded += divisor;
  return rounded;
}

int round_repeats(int repeats, double depth) { return static_cast<int>(std::ceil(depth * repeats)); }

namespace {

// One MBConv block (efficientnet_model.py MBConvBlock.call).
int mbconv(Network& n, const std::string& name, int x, const BlockArgs& b, const FamilyParams& p) {
  n.set_group(name);
  const Act act = b.activation.value_or(p.block_act);
  const int input = x;
  if (b.space2depth == 1) {
    ConvAttrs s2d = square_conv(2, 2, b.input_filters);
    x = conv_bn(n, name + "/space2depth", x, s2d, act);
  }
  const int64_t filters = int64_t{b.input_filters} * b.expand_ratio;
  if (b.fused) {
    ConvAttrs f = square_conv(b.kernel_size, b.stride_h, filters);
    f.stride_w = b.stride_w;
    x = conv_bn(n, name + "/fused", x, f, act);
  } else {
    if (b.expand_ratio != 1) x = conv_bn(n, name + "/expand", x, square_conv(1, 1, filters), act);
    const int64_t ch = n.layer(x).output.c;
    ConvAttrs dw = square_conv(b.kernel_size, b.stride_h, ch, static_cast<int>(ch));
    dw.stride_w = b.stride_w;
    x = conv_bn(n, name + "/depthwise", x, dw, act);
  }
  if (b.se_ratio && *b.se_ratio > 0 && *b.se_ratio <= 1) {
    int reduced = static_cast<int>(b.input_filters * (*b.se_ratio * p.se_coefficient));
    if (b.space2depth == 1) reduced /= 4;  // SE ratio is w.r.t. the depth before space-to-depth
    reduced = std::max(1, reduced);
    const int64_t ch = n.layer(x).output.c;
    int s = n.add_global_avg_pool(name + "/se/pool", x);
    s = n.add_conv2d(name + "/se/reduce", s, square_conv(1, 1, reduced, 1, true));
    s = n.add_activation(name + "/se/" + act_name(act), s, act);
    s = n.add_conv2d(name + "/se/expand", s, square_conv(1, 1, ch, 1, true));
    s = n.add_activation(name + "/se/sigmoid", s, Act::kSigmoid);
    x = n.add_mul(name + "/se/mul", x, s);
  }
  x = conv_bn(n, name + "/project", x, square_conv(1, 1, b.output_filters), std::nullopt);
  const bool stride1 = b.stride_h == 1 && b.stride_w == 1;
  if (b.id_skip && stride1 && n.layer(input).output.c == n.layer(x).output.c) {
    x = n.add_add(name + "/add", x, input);
  }
  return x;
}

}  // namespace

Network build_mbconv_family(const std::string& name, const std::vector<BlockArgs>& blocks, const FamilyParams& p,
                            int64_t batch, DType dtype) {
  if (blocks.empty()) throw UsageError("network '" + name + "': no blocks");
  if (p.resolution < 8) throw UsageError("network '" + name + "': resolution must be >= 8");
  if (batch < 1) throw UsageError("network '" + name + "': batch must be >= 1");
  Network n(name, dtype);
  // Room for every layer at once: input, stem (3), head (3), pool and fc, and at most 18 per block (space-to-depth,
  // expand and depthwise 3 each, SE 6, project 2, add).
  size_t most = 9;
  for (const BlockArgs& b : blocks) most += 18 * static_cast<size_t>(std::max(1, round_repeats(b.num_repeat, p.depth)));
  n.reserve(std::min<size_t>(most, 4096));
  int x = n.add_input("input", {batch, p.resolution, p.resolution, 3});
  n.set_group("stem");
  x = conv_bn(n, "stem", x,
              square_conv(p.stem_kernel, p.stem_stride, round_filters(p.stem_filters, p.width, p.depth_divisor)),
              p.stem_act);

  int index = 0;
  for (BlockArgs b : blocks) {
    // efficientnet_model.py Model._build: scale filters and repeats, then handle space-to-depth on the first block.
    const int in_f = round_filters(b.input_filters, p.width, p.depth_divisor);
    const int out_f = round_filters(b.output_filters, p.width, p.depth_divisor);
    const int kernel = b.kernel_size;
    b.input_filters = in_f;
    b.output_filters = out_f;
    b.num_repeat = round_repeats(b.num_repeat, p.depth);
    if (b.space2depth) {
      const int factor = 4 / b.stride_h / b.stride_w;
      b.input_filters *= factor;
      b.output_filters *= factor;
      if (factor > 1) b.kernel_size = (b.kernel_size + 1) / 2;
      if (b.stride_h == 2 && b.stride_w == 2) {
        // The resolution was already reduced by the space-to-depth block: run at stride 1, then stop s2d.
        b.stride_h = b.stride_w = 1;
        x = mbconv(n, "blocks." + std::to_string(index++), x, b, p);
        b.space2depth = 0;
        b.input_filters = in_f;
        b.output_filters = out_f;
        b.kernel_size = kernel;
      } else {
        x = mbconv(n, "blocks." + std::to_string(index++), x, b, p);
        if (b.space2depth == 1) b.space2depth = 2;
      }
    } else {
      x = mbconv(n, "blocks." + std::to_string(index++), x, b, p);
    }
    if (b.num_repeat > 1) {
      b.input_filters = b.output_filters;
      b.stride_h = b.stride_w = 1;
    }
    for (int r = 1; r < b.num_repeat; ++r) x = mbconv(n, "blocks." + std::to_string(index++), x, b, p);
  }

  n.set_group("head");
  x = conv_bn(n, "head", x, square_conv(1, 1, round_filters(p.head_filters, p.width, p.depth_divisor)), p.head_act);
  x = n.add_global_avg_pool("head/pool", x);
  n.add_dense("head/fc", x, p.num_classes, true);
  return n;
}

}  // namespace rp::traces
