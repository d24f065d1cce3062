// Accelerator config loading: files, overrides, error locations.
#include <catch2/catch.hpp>

#include <sstream>
#include <variant>

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

namespace {

// The resolved YAML's lines that differ between two configs (each as "key: value", comments stripped).
std::vector<std::string> differing_lines(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::vector<std::string> out;
  std::string la, lb;
  while (std::getline(sa, la) && std::getline(sb, lb)) {
    if (la != lb) out.push_back(lb.substr(0, lb.find('#')));
  }
  return out;
}

}  // namespace

TEST_CASE("a config with base: starts from the built-in and changes only the keys it lists", "[config]") {
  // a100-80gb.yaml: base a100, the 80 GB part's HBM (2039 GB/s, 80 GiB; shared/reference section 3.2).
  const auto big = accel::AcceleratorConfig::load("a100-80gb");
  const auto base = accel::AcceleratorConfig::load("a100");
  CHECK(big.family() == "gpu");
  CHECK(std::get<double>(big.value("hbm.bandwidth_gbps")) == 2039);
  CHECK(std::get<double>(big.value("hbm.capacity_gib")) == 80);
  const auto diff = differing_lines(base.yaml(), big.yaml());
  REQUIRE(diff.size() == 3);  // name, the bandwidth, the capacity: nothing else moved
  CHECK_THAT(diff[0], Catch::Contains("a100-80gb"));
  CHECK_THAT(diff[1], Catch::Contains("2039"));
  CHECK_THAT(diff[2], Catch::Contains("80"));
  // With a profile, as the corpus names it: the modern stack's values of a100.yaml.
  CHECK(std::get<double>(accel::AcceleratorConfig::load("a100-80gb-modern").value("stack.launch_overhead_ns")) ==
        std::get<double>(accel::AcceleratorConfig::load("a100-modern").value("stack.launch_overhead_ns")));

  // A user's file: the same as the built-in with the file's keys given as --set.
  const auto mine = accel::AcceleratorConfig::load(data("derived/fast-v100.yaml"));
  const auto same = accel::AcceleratorConfig::load("v100").with_text(
      {"name=v100-fast-hbm", "hbm.bandwidth_gbps=1800", "stack.profile=modern"});
  CHECK(mine.yaml() == same.yaml());
  CHECK(mine.label() == data("derived/fast-v100.yaml"));
}

TEST_CASE("a config with base: names the file, line and key of what is wrong", "[config]") {
  std::string msg = error_of(data("derived/bad-base.yaml"));
  CHECK_THAT(msg, Catch::Contains("bad-base.yaml:1: key 'base'"));
  CHECK_THAT(msg, Catch::Contains("'v101'"));
  CHECK_THAT(msg, Catch::Contains("v100"));  // the built-ins listed
  msg = error_of(data("derived/chained-base.yaml"));
  CHECK_THAT(msg, Catch::Contains("chained-base.yaml:1: key 'base'"));
  CHECK_THAT(msg, Catch::Contains("itself derived"));
  msg = error_of(data("derived/bad-key.yaml"));
  CHECK_THAT(msg, Catch::Contains("bad-key.yaml:4"));
  CHECK_THAT(msg, Catch::Contains("hbm.bandwidth_gbps"));  // the nearest key suggested
  msg = error_of(data("derived/bad-value.yaml"));
  CHECK_THAT(msg, Catch::Contains("bad-value.yaml:3"));
  CHECK_THAT(msg, Catch::Contains("matrix_unit.rows"));
  msg = error_of(data("derived/other-family.yaml"));
  CHECK_THAT(msg, Catch::Contains("other-family.yaml:2"));
  CHECK_THAT(msg, Catch::Contains("family"));
}
