// Block-string codec (tensorflow/tpu BlockDecoder semantics).
#include <catch2/catch.hpp>

#include "simulator/error.h"
#include "traces/zoo/block_string.h"

using namespace rp::traces;

TEST_CASE("decodes every key of an EfficientNet-X block string", "[block_string]") {
  const BlockArgs b = decode_block("r2_k3_s22_e6_i16_o24_se0.25_f1_d2_a1");
  CHECK(b.num_repeat == 2);
  CHECK(b.kernel_size == 3);
  CHECK(b.stride_h == 2);
  CHECK(b.stride_w == 2);
  CHECK(b.expand_ratio == 6);
  CHECK(b.input_filters == 16);
  CHECK(b.output_filters == 24);
  REQUIRE(b.se_ratio);
  CHECK(*b.se_ratio == Approx(0.25));
  CHECK(b.fused);
  CHECK(b.space2depth == 2);
  REQUIRE(b.activation);
  CHECK(*b.activation == Act::kSwish);
  CHECK(b.id_skip);
}

TEST_CASE("a0 is relu, noskip clears the skip, no se means no SE, one-digit stride", "[block_string]") {
  const BlockArgs b = decode_block("r1_k5_s2_e1_i32_o16_noskip_a0");
  CHECK(*b.activation == Act::kReLU);
  CHECK_FALSE(b.id_skip);
  CHECK_FALSE(b.se_ratio);
  CHECK(b.stride_h == 2);
  CHECK(b.stride_w == 2);
  CHECK_FALSE(b.fused);
  CHECK(b.space2depth == 0);
}

TEST_CASE("encode is the inverse of decode", "[block_string]") {
  for (const char* s : {"r1_k3_s11_e1_i32_o16_se0.25_d1_a0", "r2_k3_s22_e6_i16_o24_se0.25_f1_d2_a1",
                        "r1_k3_s11_e1_i32_o16_noskip", "r4_k5_s22_e6_i112_o192_se0.25"}) {
    CHECK(encode_block(decode_block(s)) == s);
  }
}

TEST_CASE("malformed block strings name the bad token", "[block_string]") {
  auto msg = [](const std::string& s) {
    try {
      decode_block(s);
    } catch (const rp::UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(msg("r1_k3_s11_e1_i32_o16_x7"), Catch::Contains("bad token 'x7'"));
  CHECK_THAT(msg("r1_kq_s11_e1_i32_o16"), Catch::Contains("bad token 'kq'"));
  CHECK_THAT(msg("r1_k3_s11_e1_i32_o16_se1.5"), Catch::Contains("bad token 'se1.5'"));
  CHECK_THAT(msg("r1_k3_s123_e1_i32_o16"), Catch::Contains("bad token 's123'"));
  CHECK_THAT(msg("r1_k3_s11_e1_i32_o16_d3"), Catch::Contains("bad token 'd3'"));
  CHECK_THAT(msg("r1_k3__s11_e1_i32_o16"), Catch::Contains("bad token ''"));
  CHECK_THAT(msg("r1_k3_s11_e1_i32"), Catch::Contains("missing key 'o'"));
  CHECK_THAT(msg("r0_k3_s11_e1_i32_o16"), Catch::Contains("bad token 'r0'"));
}
