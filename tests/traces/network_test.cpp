// Network IR: shape rules, derived counts and shape errors, each expected value derived by hand.
#include <catch2/catch.hpp>

#include "simulator/error.h"
#include "traces/network/network.h"

using namespace rp::traces;

namespace {

ConvAttrs conv(int k, int s, int64_t filters, Padding p = Padding::same(), int groups = 1) {
  ConvAttrs a;
  a.kernel_h = a.kernel_w = k;
  a.stride_h = a.stride_w = s;
  a.filters = filters;
  a.padding = p;
  a.groups = groups;
  return a;
}

}  // namespace

TEST_CASE("conv2d output shapes for same, valid and explicit padding", "[network]") {
  Network n("t", DType::kBF16);
  const int x = n.add_input("x", {2, 224, 224, 3});
  // same: ceil(224 / 2) = 112.
  CHECK(n.layer(n.add_conv2d("same", x, conv(3, 2, 32))).output == Shape{2, 112, 112, 32});
  // valid: floor((224 - 3) / 2) + 1 = 111.
  CHECK(n.layer(n.add_conv2d("valid", x, conv(3, 2, 32, Padding::valid()))).output == Shape{2, 111, 111, 32});
  // explicit 3/3: floor((224 + 6 - 7) / 2) + 1 = 112.
  CHECK(n.layer(n.add_conv2d("expl", x, conv(7, 2, 64, Padding::explicit_pad(3, 3, 3, 3)))).output ==
        Shape{2, 112, 112, 64});
}

TEST_CASE("conv2d MACs and params: dense, grouped, depthwise, bias", "[network]") {
  Network n("t", DType::kF32);
  const int x = n.add_input("x", {1, 8, 8, 16});
  // dense 3x3: 8*8*32 outputs x (3*3*16) = 2048 * 144 = 294912 MACs; params 144 * 32 = 4608.
  const Layer& d = n.layer(n.add_conv2d("dense", x, conv(3, 1, 32)));
  CHECK(d.macs == 294912);
  CHECK(d.params == 4608);
  // groups 4: each output sees 16/4 = 4 channels: 2048 * 36 = 73728 MACs; params 36 * 32 = 1152.
  const Layer& g = n.layer(n.add_conv2d("grouped", x, conv(3, 1, 32, Padding::same(), 4)));
  CHECK(g.macs == 73728);
  CHECK(g.params == 1152);
  // depthwise 5x5 on 16 channels: 8*8*16 * 25 = 25600 MACs; params 25 * 16 = 400.
  const Layer& dw = n.layer(n.add_conv2d("dw", x, conv(5, 1, 16, Padding::same(), 16)));
  CHECK(dw.is_depthwise());
  CHECK(dw.macs == 25600);
  CHECK(dw.params == 400);
  // 1x1 with bias: params 16 * 8 + 8 = 136.
  ConvAttrs b = conv(1, 1, 8);
  b.bias = true;
  CHECK(n.layer(n.add_conv2d("bias", x, b)).params == 136);
}

TEST_CASE("dense, batch norm, pooling and flatten", "[network]") {
  Network n("t", DType::kBF16);
  const int x = n.add_input("x", {4, 7, 7, 64});
  const int bn = n.add_batch_norm("bn", x);
  CHECK(n.layer(bn).params == 128);   // gamma + beta per channel
  CHECK_FALSE(n.layer(bn).foldable);  // follows an input, not a conv
  const int c = n.add_conv2d("c", x, conv(1, 1, 64));
  CHECK(n.layer(n.add_batch_norm("bn2", c)).foldable);
  const int gap = n.add_global_avg_pool("gap", x);
  CHECK(n.layer(gap).output == Shape{4, 1, 1, 64});
  // dense 64 -> 10 with bias: MACs 4 * 64 * 10 = 2560; params 650.
  const Layer& fc = n.layer(n.add_dense("fc", gap, 10));
  CHECK(fc.macs == 2560);
  CHECK(fc.params == 650);
  // max pool 3x3 stride 2 same: ceil(7/2) = 4.
  CHECK(n.layer(n.add_max_pool("mp", x, conv(3, 2, 0))).output == Shape{4, 4, 4, 64});
  CHECK(n.layer(n.add_avg_pool("ap", x, conv(7, 1, 0, Padding::valid()))).output == Shape{4, 1, 1, 64});
  CHECK(n.layer(n.add_flatten("flat", x)).output == Shape{4, 1, 1, 7 * 7 * 64});
}

TEST_CASE("reshapes, concat, split, shuffle and broadcast multiply", "[network]") {
  Network n("t", DType::kBF16);
  const int x = n.add_input("x", {2, 8, 8, 16});
  CHECK(n.layer(n.add_space_to_depth("s2d", x, 2)).output == Shape{2, 4, 4, 64});
  CHECK(n.layer(n.add_space_to_batch("s2b", x, 2)).output == Shape{8, 4, 4, 16});
  const int a = n.add_split("a", x, 2, 0), b = n.add_split("b", x, 2, 1);
  CHECK(n.layer(a).output.c == 8);
  CHECK(n.layer(n.add_concat("cat", {a, b, x})).output == Shape{2, 8, 8, 32});
  CHECK(n.layer(n.add_channel_shuffle("shuf", x, 4)).output == Shape{2, 8, 8, 16});
  const int s = n.add_global_avg_pool("s", x);
  CHECK(n.layer(n.add_mul("se", x, s)).output == Shape{2, 8, 8, 16});
  CHECK(n.layer(n.add_add("res", x, x)).output == Shape{2, 8, 8, 16});
}

TEST_CASE("network totals and byte counts at the dtype", "[network]") {
  Network n("t", DType::kBF16);
  const int x = n.add_input("x", {1, 4, 4, 2});
  const int c = n.add_conv2d("c", x, conv(1, 1, 3));  // MACs 16 * 2 * 3 = 96, params 6
  n.add_activation("r", c, Act::kReLU);
  CHECK(n.macs() == 96);
  CHECK(n.flops() == 192);
  CHECK(n.params() == 6);
  CHECK(n.weight_bytes() == 12);  // 6 params * 2 bytes
  // outputs: input 32 elements, conv 48, relu 48 -> 128 elements * 2 bytes.
  CHECK(n.activation_bytes() == 256);
  CHECK(n.input_bytes(c) == 64);
  CHECK(n.output_bytes(c) == 96);
  const Consumers consumers = n.consumers();  // the ranges point into it
  const Consumers::Range r = consumers[static_cast<size_t>(c)];
  CHECK(std::vector<int>(r.begin(), r.end()) == std::vector<int>{2});
}

TEST_CASE("shape errors name the layer", "[network]") {
  Network n("t", DType::kBF16);
  const int x = n.add_input("x", {1, 8, 8, 6});
  const int y = n.add_input("y", {1, 8, 8, 4});
  auto message = [](auto&& fn) {
    try {
      fn();
    } catch (const rp::UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(message([&] { n.add_add("bad_add", x, y); }), Catch::Contains("layer 'bad_add'"));
  CHECK_THAT(message([&] { n.add_conv2d("bad_groups", x, conv(3, 1, 8, Padding::same(), 4)); }),
             Catch::Contains("layer 'bad_groups'"));
  CHECK_THAT(message([&] { n.add_conv2d("too_big", x, conv(9, 1, 8, Padding::valid())); }),
             Catch::Contains("layer 'too_big'"));
  // x (1, 8, 8, 6) x y (1, 8, 8, 4): inner dimensions 6 and 8 (y's w) differ.
  CHECK_THAT(message([&] { n.add_matmul("mm", x, y); }), Catch::Contains("layer 'mm'"));
  CHECK_THAT(message([&] { n.add_space_to_depth("s2d", x, 3); }), Catch::Contains("layer 's2d'"));
  CHECK_THAT(message([&] { n.add_split("sp", x, 4, 0); }), Catch::Contains("layer 'sp'"));
  CHECK_THAT(message([&] { n.add_mul("m", x, y); }), Catch::Contains("layer 'm'"));
  CHECK_THAT(message([&] { n.add_activation("x", x, Act::kReLU); }), Catch::Contains("duplicate layer name"));
}
