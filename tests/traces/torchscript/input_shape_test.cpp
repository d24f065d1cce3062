// --input-shape parsing.
#include <catch2/catch.hpp>

#include "simulator/error.h"
#include "traces/torchscript/torchscript.h"

using rp::traces::parse_input_shape;

TEST_CASE("input shape: four positive integers", "[torchscript]") {
  CHECK(parse_input_shape("1,3,224,224") == std::vector<int64_t>{1, 3, 224, 224});
  CHECK(parse_input_shape("128,3,32,64") == std::vector<int64_t>{128, 3, 32, 64});
}

TEST_CASE("input shape: malformed values are usage errors naming the text", "[torchscript]") {
  for (const char* bad : {"1,3,x", "1,3,224", "1,3,224,224,1", "0,3,224,224", "1,-3,224,224", "", "1,,224,224",
                          "1,3,224,224,", "1x3x224x224", "1,3,2.5,224"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_input_shape(bad), rp::UsageError);
    CHECK_THROWS_WITH(parse_input_shape(bad), Catch::Contains("expected N,C,H,W"));
  }
}
