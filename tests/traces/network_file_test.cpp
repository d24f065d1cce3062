// YAML network files.
#include <catch2/catch.hpp>

#include "simulator/error.h"
#include "traces/zoo/zoo.h"

using namespace rp::traces;

namespace {

std::string data(const std::string& f) { return std::string(RP_SOURCE_DIR) + "/tests/data/" + f; }

std::string error_of(const std::string& file) {
  try {
    build_model(file, BuildOptions{});
  } catch (const rp::UsageError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("a network file of B0's block strings equals the zoo's efficientnet-b0", "[network_file]") {
  BuildOptions o;
  o.batch = 3;
  const Network file = build_model(data("b0-blocks.yaml"), o);
  const Network zoo_b0 = build_model("efficientnet-b0", o);
  CHECK(file.name() == "b0-from-file");
  CHECK(file.macs() == zoo_b0.macs());
  CHECK(file.params() == zoo_b0.params());
  CHECK(file.size() == zoo_b0.size());
  o.resolution = 160;
  CHECK(build_model(data("b0-blocks.yaml"), o).resolution() == 160);
}

TEST_CASE("a missing key names the file, the line and the key", "[network_file]") {
  const std::string msg = error_of(data("missing-head-classes.yaml"));
  CHECK_THAT(msg, Catch::Contains("missing-head-classes.yaml:7"));
  CHECK_THAT(msg, Catch::Contains("'head.classes'"));
}

TEST_CASE("a bad block string in a file names the file and the token", "[network_file]") {
  const std::string msg = error_of(data("bad-block.yaml"));
  CHECK_THAT(msg, Catch::Contains("bad-block.yaml"));
  CHECK_THAT(msg, Catch::Contains("bad token 'zz9'"));
}

TEST_CASE("a missing file is a clear error", "[network_file]") {
  CHECK_THAT(error_of(data("nope.yaml")), Catch::Contains("nope.yaml: cannot open file"));
}
