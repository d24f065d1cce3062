// The network definition stored in traces is YAML listing every layer with its kind, shapes and attributes.
#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include "tests/traces/writers/traced_run.h"
#include "traces/writers/network_text.h"

using namespace rp;

TEST_CASE("network_yaml: one entry per layer with shapes and attributes") {
  const traces::Network net = test::small_network(2);
  const YAML::Node y = YAML::Load(traces::network_yaml(net));
  CHECK(y["name"].as<std::string>() == "mnasnet-a1");
  CHECK(y["batch"].as<int64_t>() == 2);
  CHECK(y["macs"].as<int64_t>() == net.macs());
  REQUIRE(y["layers"].size() == static_cast<size_t>(net.size()));
  const YAML::Node stem = y["layers"][1];
  CHECK(stem["name"].as<std::string>() == "stem");
  CHECK(stem["kind"].as<std::string>() == "conv2d");
  CHECK(stem["inputs"][0].as<std::string>() == "input");
  CHECK(stem["input_shapes"][0].as<std::vector<int64_t>>() == std::vector<int64_t>{2, 224, 224, 3});
  CHECK(stem["output_shape"].as<std::vector<int64_t>>() == std::vector<int64_t>{2, 112, 112, 32});
  CHECK(stem["kernel"].as<std::vector<int>>() == std::vector<int>{3, 3});
  CHECK(stem["stride"].as<std::vector<int>>() == std::vector<int>{2, 2});
  CHECK(stem["padding"].as<std::string>() == "same");
  CHECK(stem["filters"].as<int64_t>() == 32);
  CHECK(stem["macs"].as<int64_t>() == net.layer(1).macs);
}
