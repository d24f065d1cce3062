// Accelerator config loading: files, overrides, error locations.
#include <catch2/catch.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/config/accelerator_config.h"
#include "simulator/error.h"

using namespace rp;

namespace {

std::string data(const std::string& f) { return std::string(RP_SOURCE_DIR) + "/tests/data/" + f; }

std::string error_of(const std::string& acc) {
  try {
    accel::make_accelerator(acc);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("built-in configs load and every parameter key is listed", "[config]") {
  for (const std::string name : {"tpuv2", "tpuv3", "tpuv4"}) {
    const auto a = accel::make_accelerator(name);
    CHECK(a->info().name == name);
    CHECK(a->info().family == "tpu");
    CHECK(a->info().precision == traces::DType::kBF16);
  }
  const auto keys = accel::AcceleratorConfig::load("tpuv3").keys();
  CHECK(std::find(keys.begin(), keys.end(), "hbm.bandwidth_gbps") != keys.end());
  CHECK(std::find(keys.begin(), keys.end(), "vector_unit.cost_per_element.swish") != keys.end());
}

TEST_CASE("set overrides change the typed config and the resolved YAML", "[config]") {
  const auto base = accel::make_accelerator("tpuv3");
  const auto big = accel::make_accelerator("tpuv3", {"matrix_unit.rows=256", "matrix_unit.cols=256"});
  CHECK(big->info().peak_flops == Approx(4 * base->info().peak_flops));
  CHECK_THAT(big->info().resolved_yaml, Catch::Contains("rows: 256"));
  CHECK_THROWS_AS(accel::make_accelerator("tpuv3", {"cores"}), UsageError);          // no '='
  CHECK_THROWS_AS(accel::make_accelerator("tpuv3", {"matrix_unit=3"}), UsageError);  // not a scalar
}

TEST_CASE("a config file with a bad value names file, line and key", "[config]") {
  const std::string msg = error_of(data("bad-accel.yaml"));
  CHECK_THAT(msg, Catch::Contains("bad-accel.yaml:6"));
  CHECK_THAT(msg, Catch::Contains("'clock_mhz'"));
}

TEST_CASE("a config file with a syntax error names file and line", "[config]") {
  const std::string msg = error_of(data("broken-accel.yaml"));
  // Line 4 opens a '[' that is never closed; the parser notices on line 5 and says so.
  CHECK_THAT(msg, Catch::Contains("broken-accel.yaml:5"));
  CHECK_THAT(msg, Catch::Contains("YAML syntax error"));
}

TEST_CASE("a config file with a missing section names the key", "[config]") {
  CHECK_THAT(error_of(data("no-hbm-accel.yaml")), Catch::Contains("missing required key 'hbm'"));
}
