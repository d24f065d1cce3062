// Compound-scaling rounding rules (lacs/scaling.h) against EfficientNet's published B0..B7 shapes.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <fstream>

#include "lacs/scaling.h"
#include "traces/zoo/mbconv_family.h"

using namespace rp;

namespace {

// Published (width, depth, resolution) of B0..B7: tensorflow/tpu efficientnet_builder.py (reference
// hardware-and-models.md section 1.2).
struct Published {
  double width, depth;
  int resolution;
  double gmacs;  // hardware-and-models.md section 1.3 (re-implementation of the builder; B0 0.39 and B7 37.75 G
                 // match the paper's 0.39B and torchvision's 37.75 GFLOPS-as-MACs)
};
constexpr std::array<Published, 8> kB = {{{1.0, 1.0, 224, 0.386},
                                          {1.0, 1.1, 240, 0.687},
                                          {1.1, 1.2, 260, 0.994},
                                          {1.2, 1.4, 300, 1.83},
                                          {1.4, 1.8, 380, 4.39},
                                          {1.6, 2.2, 456, 10.27},
                                          {1.8, 2.6, 528, 19.07},
                                          {2.0, 3.1, 600, 37.75}}};

std::vector<int> stage_repeats(const traces::MbconvSpec& s) {
  std::vector<int> r;
  for (const auto& b : s.blocks) r.push_back(traces::round_repeats(b.num_repeat, s.params.depth));
  return r;
}

std::vector<int> stage_filters(const traces::MbconvSpec& s) {
  std::vector<int> f;
  for (const auto& b : s.blocks) f.push_back(traces::round_filters(b.output_filters, s.params.width));
  return f;
}

}  // namespace

TEST_CASE("EfficientNet's published resolutions are fixed points of the resolution rounding") {
  for (const auto& b : kB) CHECK(lacs::round_resolution(b.resolution) == b.resolution);
  // 224 x 1.15 = 257.6 -> 256 (nearest multiple of 4); 224 x 1.15^7 = 224 x 2.66002 = 595.84 -> 596;
  // 229.9 -> 228 (57.47 fours), 230 -> 232 (57.5 rounds up).
  CHECK(lacs::scale({1.2, 1.1, 1.15}, 1, 224).resolution == 256);
  CHECK(lacs::scale({1.2, 1.1, 1.15}, 7, 224).resolution == 596);
  CHECK(lacs::round_resolution(229.9) == 228);
  CHECK(lacs::round_resolution(230) == 232);
  CHECK(lacs::round_resolution(3) == 4);  // 0.75 fours -> 1: rounded, not raised to 8
}

TEST_CASE("a scaled network outside the limits of a network file is refused with its figure, never clamped") {
  const traces::MbconvSpec b0 = traces::mbconv_spec("efficientnet-b0");
  // gamma 4 at phi 12: 224 x 4^12 = 224 x 16,777,216 = 3,758,096,384 (past 2^31: once clamped to resolution 8).
  const lacs::Scaled big = lacs::scale({1, 1, 4}, 12, 224);
  CHECK(big.resolution == 0);
  CHECK(lacs::limit_problem(b0, big) == "scaled resolution 3.7581e+09 outside [8, 4096]");
  // gamma 0.1 at phi 2: 224 x 0.01 = 2.24 -> 4 (nearest multiple of 4), below 8.
  CHECK(lacs::limit_problem(b0, lacs::scale({1, 1, 0.1}, 2, 224)) == "scaled resolution 4 outside [8, 4096]");
  // 224 x 1.15^7 = 595.84 -> 596: inside.
  CHECK(lacs::limit_problem(b0, lacs::scale({1.2, 1.1, 1.15}, 7, 224)).empty());
  // beta 4 at phi 3: width 64 is the limit itself (inside); at phi 4, 256 is past it.
  CHECK(lacs::limit_problem(b0, lacs::scale({1, 4, 1}, 3, 224)).empty());
  CHECK(lacs::limit_problem(b0, lacs::scale({1, 4, 1}, 4, 224)) == "scaled width coefficient 256 above 64");
  // alpha 2 at phi 6: depth 64 (inside the coefficient limit) gives 64 x [1, 2, 2, 3, 3, 4, 1] = 64 x 16 = 1024
  // blocks; alpha 4 at phi 3 also depth 64; alpha 4 at phi 4: depth 256, over 64.
  CHECK(lacs::limit_problem(b0, lacs::scale({2, 1, 1}, 6, 224)).empty());
  CHECK(lacs::scaled_blocks(b0, 64) == 1024);
  CHECK(lacs::limit_problem(b0, lacs::scale({4, 1, 1}, 4, 224)) == "scaled depth coefficient 256 above 64");
  // Blocks: a base of depth 1 whose one block repeats 1000 times, at depth 11: 11,000 blocks, over 10,000.
  traces::MbconvSpec tall = b0;
  tall.blocks.resize(1);
  tall.blocks[0].num_repeat = 1000;
  CHECK(lacs::limit_problem(tall, lacs::scale({11, 1, 1}, 1, 224)) ==
        "11000 MBConv blocks after depth scaling, more than 10000");
}

TEST_CASE("Scaling EfficientNet-B0 with B1..B7's published coefficients gives B1..B7's published shapes") {
  const traces::MbconvSpec b0 = traces::mbconv_spec("efficientnet-b0");
  SECTION("B7 stage depths and widths, derived by hand") {
    const auto s = lacs::scaled_spec(b0, {3.1, 2.0, 600.0 / 224, 600});
    // round_repeats = ceil(3.1 x [1, 2, 2, 3, 3, 4, 1]) = ceil([3.1, 6.2, 6.2, 9.3, 9.3, 12.4, 3.1]).
    CHECK(stage_repeats(s) == std::vector<int>{4, 7, 7, 10, 10, 13, 4});
    // round_filters(f, 2.0) = 2f when 2f is a multiple of 8: 16..320 -> 32..640.
    CHECK(stage_filters(s) == std::vector<int>{32, 48, 80, 160, 224, 384, 640});
    CHECK(traces::round_filters(s.params.stem_filters, s.params.width) == 64);
    CHECK(traces::round_filters(s.params.head_filters, s.params.width) == 2560);
    const traces::Network n = lacs::build(s, 1, traces::DType::kF32);
    // torchvision efficientnet_b7: 66,347,960 parameters, 37.75 GFLOPS (multiply-adds).
    CHECK(n.params() == Approx(66347960).epsilon(0.001));
    CHECK(n.macs() / 1e9 == Approx(37.75).epsilon(0.005));
  }
  SECTION("B1: ceil(1.1 x [1, 2, 2, 3, 3, 4, 1]) = [2, 3, 3, 4, 4, 5, 2], 23 blocks; widths unchanged") {
    const auto s = lacs::scaled_spec(b0, {1.1, 1.0, 240.0 / 224, 240});
    CHECK(stage_repeats(s) == std::vector<int>{2, 3, 3, 4, 4, 5, 2});
    CHECK(stage_filters(s) == std::vector<int>{16, 24, 40, 80, 112, 192, 320});
  }
  SECTION("every level: the scaled spec builds the zoo model, and MACs match the published shape table") {
    for (int i = 0; i < 8; ++i) {
      const auto& b = kB[static_cast<size_t>(i)];
      const auto s = lacs::scaled_spec(b0, {b.depth, b.width, b.resolution / 224.0, b.resolution});
      const traces::Network mine = lacs::build(s, 1, traces::DType::kF32);
      traces::BuildOptions o;
      const traces::Network zoo = traces::build_model("efficientnet-b" + std::to_string(i), o);
      CHECK(mine.macs() == zoo.macs());
      CHECK(mine.params() == zoo.params());
      CHECK(mine.macs() / 1e9 == Approx(b.gmacs).epsilon(0.01));
    }
  }
}

TEST_CASE("Network YAML of a scaled spec reads back to the same network") {
  const traces::MbconvSpec x = traces::mbconv_spec("efficientnet-x-b0");
  const auto s = lacs::scaled_spec(x, lacs::scale({1.25, 1.17, 1.09}, 3, 224));
  const std::string path = std::string(RP_BINARY_DIR) + "/scaled-x.yaml";
  {
    std::ofstream f(path);
    f << lacs::network_yaml(s, {"test"});
  }
  traces::BuildOptions o;
  o.batch = 2;
  const traces::Network a = traces::build_model(path, o);
  const traces::Network b = lacs::build(s, 2, traces::DType::kF32);
  CHECK(a.macs() == b.macs());
  CHECK(a.params() == b.params());
  CHECK(a.layers().size() == b.layers().size());
  CHECK(lacs::network_key(s) == lacs::network_key(traces::mbconv_spec(path)));
}
