// Search spaces: sizes, canonical text, mapping to block strings and to the network IR.
#include <catch2/catch.hpp>

#include <cmath>

#include "nas/space/arch_network.h"
#include "nas/space/search_space.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

using namespace rp::nas;
using rp::traces::DType;

namespace {

// EfficientNet-B0 / X-B0 in the canonical text, written by hand from efficientnet_builder.py's
// _DEFAULT_BLOCKS_ARGS and efficientnet_x_builder.py's X-B0 blocks (kernels 3 3 5 3 5 5 3, expansion 1 then 6,
// SE 0.25 everywhere; X-B0: space-to-depth, fused + swish in stages 2-3, ReLU elsewhere).
const std::string kB0 =
    "k3_e1_se0.25_w1_l+0,k3_e6_se0.25_w1_l+0,k5_e6_se0.25_w1_l+0,k3_e6_se0.25_w1_l+0,k5_e6_se0.25_w1_l+0,"
    "k5_e6_se0.25_w1_l+0,k3_e6_se0.25_w1_l+0";
const std::string kXB0 =
    "s2d1,k3_e1_se0.25_w1_l+0_dw_relu,k3_e6_se0.25_w1_l+0_fused_swish,k5_e6_se0.25_w1_l+0_fused_swish,"
    "k3_e6_se0.25_w1_l+0_dw_relu,k5_e6_se0.25_w1_l+0_dw_relu,k5_e6_se0.25_w1_l+0_dw_relu,k3_e6_se0.25_w1_l+0_dw_relu";

rp::traces::Network zoo(const std::string& name) {
  rp::traces::BuildOptions o;
  return rp::traces::build_model(name, o);
}

}  // namespace

TEST_CASE("space sizes and decisions", "[space]") {
  // Per block 2 kernels x 3 expansions x 2 SE x 3 filter multipliers x 3 layer deltas = 108; 7 blocks.
  const SearchSpace& e = search_space("efficientnet");
  CHECK(e.decisions.size() == 35);
  CHECK(e.size() == 171382426877952.0);  // 108^7
  // + fused/depthwise x ReLU/swish per block: 432 per block; x 2 for space-to-depth.
  const SearchSpace& x = search_space("efficientnet-x");
  CHECK(x.decisions.size() == 50);
  CHECK(std::fabs(x.size() / 5.615859363936731e18 - 1) < 1e-12);  // 2 x 432^7 = 5,615,859,363,936,731,136
}

TEST_CASE("unknown space names it and lists the known ones", "[space]") {
  CHECK_THROWS_AS(search_space("mnasnet"), rp::UsageError);
  CHECK_THROWS_WITH(search_space("mnasnet"), Catch::Contains("unknown search space 'mnasnet'") &&
                                                 Catch::Contains("efficientnet, efficientnet-x"));
}

TEST_CASE("EfficientNet-B0 is the efficientnet space's base architecture and builds as the zoo's B0", "[space]") {
  const SearchSpace& s = search_space("efficientnet");
  const Choices c = base_choices(s);
  CHECK(s.canonical(c) == kB0);
  CHECK(s.parse(kB0) == c);
  const rp::traces::Network n = arch_network(s, c, 224, 1, DType::kF32);
  const rp::traces::Network ref = zoo("efficientnet-b0");
  CHECK(n.macs() == ref.macs());
  CHECK(n.params() == ref.params());
}

TEST_CASE("EfficientNet-X-B0 is in the efficientnet-x space with its published block strings", "[space]") {
  const SearchSpace& s = search_space("efficientnet-x");
  const Choices c = s.parse(kXB0);
  CHECK(s.canonical(c) == kXB0);
  // efficientnet_x_builder.py, EfficientNet-X-B0.
  const std::vector<std::string> published = {
      "r1_k3_s11_e1_i32_o16_se0.25_d1_a0", "r2_k3_s22_e6_i16_o24_se0.25_f1_d2_a1", "r2_k5_s22_e6_i24_o40_se0.25_f1_a1",
      "r3_k3_s22_e6_i40_o80_se0.25_a0",    "r3_k5_s11_e6_i80_o112_se0.25_a0",      "r4_k5_s22_e6_i112_o192_se0.25_a0",
      "r1_k3_s11_e6_i192_o320_se0.25_a0"};
  CHECK(arch_block_strings(s, c) == published);
  const rp::traces::Network n = arch_network(s, c, 224, 1, DType::kF32);
  const rp::traces::Network ref = zoo("efficientnet-x-b0");
  CHECK(n.macs() == ref.macs());
  CHECK(n.params() == ref.params());
}

TEST_CASE("filters, layers and SE decisions change the block strings as documented", "[space]") {
  const SearchSpace& s = search_space("efficientnet");
  // Block 0 with l-1 (r1 - 1 = 0, clamped to 1) and SE off; block 2 with w1.25: round_filters(40 x 1.25 = 50) =
  // int(50 + 4) / 8 * 8 = 48 (>= 0.9 x 50, kept), so block 2 outputs 48 and block 3 takes 48 in.
  const Choices c = s.parse(
      "k5_e4_se0_w1_l-1,k3_e6_se0.25_w1_l+0,k5_e6_se0.25_w1.25_l+1,k3_e6_se0.25_w1_l+0,k5_e6_se0.25_w1_l+0,"
      "k5_e6_se0.25_w1_l+0,k3_e6_se0.25_w0.75_l-1");
  const std::vector<std::string> b = arch_block_strings(s, c);
  CHECK(b[0] == "r1_k5_s11_e4_i32_o16");
  CHECK(b[2] == "r3_k5_s22_e6_i24_o48_se0.25");
  CHECK(b[3] == "r3_k3_s22_e6_i48_o80_se0.25");
  // Block 6: 320 x 0.75 = 240 (a multiple of 8); r1 - 1 clamped to 1.
  CHECK(b[6] == "r1_k3_s11_e6_i192_o240_se0.25");
}

TEST_CASE("architecture text errors name the token and the decision", "[space]") {
  const SearchSpace& s = search_space("efficientnet");
  std::string bad = kB0;
  bad.replace(0, 2, "k7");
  CHECK_THROWS_WITH(s.parse(bad), Catch::Contains("token 'k7' for block0.kernel, expected k3|k5"));
  CHECK_THROWS_WITH(s.parse("k3_e1"), Catch::Contains("has 2 tokens, expected 35"));
}

TEST_CASE("a network YAML of an architecture loads back as the same network", "[space]") {
  const SearchSpace& s = search_space("efficientnet-x");
  const Choices c = s.parse(kXB0);
  const std::string path = "/tmp/rp_nas_space_test_xb0.yaml";
  {
    FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE(f);
    const std::string text = network_yaml(s, c, 224, "x-b0-from-nas", {"written by space_test"});
    std::fputs(text.c_str(), f);
    std::fclose(f);
  }
  rp::traces::BuildOptions o;
  const rp::traces::Network n = rp::traces::build_model(path, o);
  const rp::traces::Network ref = zoo("efficientnet-x-b0");
  CHECK(n.name() == "x-b0-from-nas");
  CHECK(n.macs() == ref.macs());
  CHECK(n.params() == ref.params());
  std::remove(path.c_str());
}
