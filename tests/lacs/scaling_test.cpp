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
constexpr std::array<Published, 8> kB = {{{1.0, 1.0, 224, 0.386}, {1.0, 1.1, 240, 0.687}, {1.1, 1.2, 260, 0.994},
                                          {1.2, 1.4, 300, 1.83},  {1.4, 1.8, 380, 4.39},  {1.6, 2.2, 456, 10.27},
                                          {1.8, 2.6, 528, 19.07}, {2.0, 3.1, 600, 37.75}}};

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
  CHECK(lacs::round_resolution(3) == 8);
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
