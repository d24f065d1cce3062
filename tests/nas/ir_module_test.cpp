// The LibTorch module built from a network IR (nas/train/ir_module.h): ShuffleNetV2's split / concat / channel
// shuffle, the SE broadcast multiply, and parameter counts against the IR's.
#include <catch2/catch.hpp>

#include <vector>

#include "nas/train/ir_probe.h"
#include "traces/network/network.h"

using rp::traces::ConvAttrs;
using rp::traces::DType;
using rp::traces::Network;

namespace {

// A 1 x C x H x W input (channels first) with value 100 c + 10 h + w, so every value names its channel.
std::vector<float> labelled(int c, int h, int w) {
  std::vector<float> x;
  for (int ci = 0; ci < c; ++ci) {
    for (int hi = 0; hi < h; ++hi) {
      for (int wi = 0; wi < w; ++wi) x.push_back(static_cast<float>(100 * ci + 10 * hi + wi));
    }
  }
  return x;
}

// Channel k of a channels-first output of 4 x 4 images is input channel perm[k].
void check_channels(const std::vector<float>& out, const std::vector<int>& perm) {
  REQUIRE(out.size() == perm.size() * 16);
  for (size_t k = 0; k < perm.size(); ++k) {
    for (int hi = 0; hi < 4; ++hi) {
      for (int wi = 0; wi < 4; ++wi) {
        INFO("output channel " << k << " at " << hi << "," << wi);
        CHECK(out[k * 16 + static_cast<size_t>(hi * 4 + wi)] == static_cast<float>(100 * perm[k] + 10 * hi + wi));
      }
    }
  }
}

}  // namespace

TEST_CASE("split, concat and channel shuffle permute channels as ShuffleNetV2 does", "[ir_module]") {
  // Input 1x4x4x4 (channels 0..3). Split in 2: part 0 = {0, 1}, part 1 = {2, 3}. concat(part 1, part 0) =
  // {2, 3, 0, 1}. Shuffle with 2 groups: view as 2 groups x 2 = [[2, 3], [0, 1]], transpose to [[2, 0], [3, 1]],
  // flatten: {2, 0, 3, 1}.
  Network n("shuffle", DType::kF32);
  const int x = n.add_input("x", {1, 4, 4, 4});
  const int a = n.add_split("a", x, 2, 0), b = n.add_split("b", x, 2, 1);
  const int c = n.add_concat("c", {b, a});
  n.add_channel_shuffle("s", c, 2);
  check_channels(rp::nas::forward_ir(n, labelled(4, 4, 4)), {2, 0, 3, 1});
}

TEST_CASE("concat reads every input in order, and a shuffle with three groups", "[ir_module]") {
  // Split 1x4x4x4 in 4 single channels; concat(3, 1, 1, 0, 2, 2) = {3, 1, 1, 0, 2, 2}. Shuffle 3 groups of 2:
  // [[3, 1], [1, 0], [2, 2]] transposed = [[3, 1, 2], [1, 0, 2]] -> {3, 1, 2, 1, 0, 2}.
  Network n("concat", DType::kF32);
  const int x = n.add_input("x", {1, 4, 4, 4});
  std::vector<int> part;
  for (int p = 0; p < 4; ++p) part.push_back(n.add_split("p" + std::to_string(p), x, 4, p));
  const int c = n.add_concat("c", {part[3], part[1], part[1], part[0], part[2], part[2]});
  n.add_channel_shuffle("s", c, 3);
  check_channels(rp::nas::forward_ir(n, labelled(4, 4, 4)), {3, 1, 2, 1, 0, 2});
}

TEST_CASE("the SE multiply broadcasts an N x 1 x 1 x C gate over H x W", "[ir_module]") {
  // x is 1x4x4x2 with x[c][h][w] = 100 c + 10 h + w; its global average per channel is 100 c + 15 + 1.5 = 100 c +
  // 16.5 (h and w average 1.5 each). out = x * mean(x) per channel.
  Network n("se", DType::kF32);
  const int x = n.add_input("x", {1, 4, 4, 2});
  const int g = n.add_global_avg_pool("gap", x);
  n.add_mul("mul", x, g);
  const std::vector<float> in = labelled(2, 4, 4), out = rp::nas::forward_ir(n, in);
  REQUIRE(out.size() == in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const float mean = (i < 16 ? 0.0f : 100.0f) + 16.5f;
    CHECK(out[i] == Approx(in[i] * mean).epsilon(1e-6));
  }
}

TEST_CASE("the module's trainable parameters equal the IR's", "[ir_module]") {
  // conv 3x3, 1 -> 8, no bias: 72; batch norm 8: 16; depthwise 3x3 on 8 with bias: 72 + 8 = 80; batch norm: 16;
  // pointwise 1x1, 8 -> 6: 48; global pool; dense 6 -> 10 with bias: 70. Total 72 + 16 + 80 + 16 + 48 + 70 = 302.
  Network n("small", DType::kF32);
  int t = n.add_input("x", {1, 8, 8, 1});
  ConvAttrs conv;
  conv.kernel_h = conv.kernel_w = 3;
  conv.filters = 8;
  t = n.add_batch_norm("bn1", n.add_conv2d("conv1", t, conv));
  ConvAttrs dw = conv;
  dw.groups = 8;
  dw.bias = true;
  t = n.add_batch_norm("bn2", n.add_conv2d("dw", t, dw));
  ConvAttrs pw;
  pw.filters = 6;
  t = n.add_global_avg_pool("gap", n.add_conv2d("pw", n.add_activation("relu", t, rp::traces::Act::kReLU), pw));
  n.add_dense("fc", t, 10);
  CHECK(n.params() == 302);
  CHECK(rp::nas::module_params(n) == 302);
}
