// The typed config boundary (accel_models/config/): one declaration per parameter drives reading, typed overrides,
// defaults, the resolved YAML and the error messages.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>

#include "accel_models/config/accelerator_config.h"
#include "accel_models/gpu/gpu_config.h"
#include "accel_models/simulate.h"
#include "accel_models/tpu/tpu_config.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

using namespace rp;
using accel::AcceleratorConfig;

namespace {

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = std::string(RP_BINARY_DIR) + "/" + name;
  std::ofstream(path) << text;
  return path;
}

double latency(const std::shared_ptr<const accel::IAccelerator>& acc) {
  traces::BuildOptions o;
  o.batch = 16;
  o.dtype = acc->info().precision;
  return accel::simulate(traces::build_model("mnasnet-a1", o), *acc).latency_ms;
}

}  // namespace

TEST_CASE("typed overrides convert YAML units once and match the text form", "[config][typed]") {
  const AcceleratorConfig base = AcceleratorConfig::load("tpuv3");
  // tpuv3.yaml: hbm.bandwidth_gbps 900 (the chip) -> 900e9 B/s, 450e9 per core; 1200 GB/s -> 600e9 per core.
  CHECK(base.family_config<accel::TpuConfig>().hbm.bandwidth == 900e9);
  CHECK(base.family_config<accel::TpuConfig>().hbm_core.bandwidth == 450e9);
  const AcceleratorConfig typed =
      base.with({{"hbm.bandwidth_gbps", 1200.0}, {"stack.lowering.fuse_reductions", false}});
  CHECK(typed.family_config<accel::TpuConfig>().hbm_core.bandwidth == 600e9);
  CHECK_FALSE(typed.family_config<accel::TpuConfig>().lowering.fuse_reductions);
  // The base is unchanged (copies are independent).
  CHECK(base.family_config<accel::TpuConfig>().hbm.bandwidth == 900e9);
  // The shorthand lowering.X names stack.lowering.X.
  const AcceleratorConfig text = base.with_text({"hbm.bandwidth_gbps=1200", "lowering.fuse_reductions=false"});
  CHECK(text.yaml() == typed.yaml());
  CHECK(latency(text.build()) == latency(typed.build()));
  // vector_memory.capacity_mib 16 -> 16 x 2^20 bytes; clock_mhz 940 -> 940e6 Hz, derived into the units' clocks.
  CHECK(base.family_config<accel::TpuConfig>().vmem_bytes == 16.0 * 1024 * 1024);
  CHECK(base.family_config<accel::TpuConfig>().matrix.clock == 940e6);
  CHECK(base.with({{"clock_mhz", 1000.0}}).family_config<accel::TpuConfig>().vector.clock == 1e9);
}

TEST_CASE("the resolved YAML reads back to the same config and the same simulation", "[config][typed]") {
  for (const std::string name : {"tpuv3", "v100"}) {
    const AcceleratorConfig a = AcceleratorConfig::load(name).with_text({"stack.hbm_efficiency=0.8412345"});
    const std::string path = write_temp("resolved-" + name + ".yaml", a.yaml());
    const AcceleratorConfig b = AcceleratorConfig::load(path);
    CHECK(b.yaml() == a.yaml());
    CHECK(latency(b.build()) == latency(a.build()));
    CHECK(a.value("stack.hbm_efficiency") == accel::ParamValue(0.8412345));
  }
}

TEST_CASE("keys with a default may be left out; hardware keys may not", "[config][typed]") {
  // tpuv3.yaml without its stack.lowering section: every lowering switch has a documented default
  // (tpu_config.cpp): min_tiles 4, max_tiles 16, weight_buffer_fraction 0.5, fuse_input_elementwise true.
  std::string text = AcceleratorConfig::load("tpuv3").yaml();
  text = text.substr(0, text.find("  lowering:"));
  const AcceleratorConfig c = AcceleratorConfig::load(write_temp("no-lowering.yaml", text));
  const accel::TpuLoweringParams& l = c.family_config<accel::TpuConfig>().lowering;
  CHECK(l.min_tiles == 4);
  CHECK(l.max_tiles == 16);
  CHECK(l.weight_buffer_fraction == 0.5);
  CHECK(l.fuse_input_elementwise);
  // Without the hbm section the file is rejected naming the section.
  std::string no_hbm = AcceleratorConfig::load("tpuv3").yaml();
  const size_t from = no_hbm.find("hbm:"), to = no_hbm.find("dma:");
  no_hbm.erase(from, to - from);
  CHECK_THAT(error_of([&] { AcceleratorConfig::load(write_temp("no-hbm.yaml", no_hbm)); }),
             Catch::Contains("missing required key 'hbm'"));
}

TEST_CASE("a misspelt key is reported as unknown, where it stands, before the key it hides", "[config][typed]") {
  std::string text = AcceleratorConfig::load("v100").yaml();
  const size_t at = text.find("refresh_fraction");
  text.replace(at, 16, "refresh_fractoin");
  // Line of the misspelt key: count the newlines before it (1-based).
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  const std::string msg = error_of([&] { AcceleratorConfig::load(write_temp("typo.yaml", text)); });
  CHECK_THAT(msg, Catch::Contains("typo.yaml:" + std::to_string(line) + ": unknown key 'hbm.refresh_fractoin'"));
  CHECK_THAT(msg, Catch::Contains("refresh_fraction"));
}

TEST_CASE("typed override errors name the key, the value and what was expected", "[config][typed]") {
  const AcceleratorConfig v100 = AcceleratorConfig::load("v100");
  CHECK_THAT(error_of([&] {
               v100.with({{"lowering.fused_swish", 1.0}});
             }),
             Catch::Contains("'stack.profiles.paper.lowering.fused_swish': expected true or false"));
  CHECK_THAT(error_of([&] { v100.with({{"sms", 80.5}}); }), Catch::Contains("'sms': expected an integer"));
  CHECK_THAT(error_of([&] {
               v100.with({{"sms", 4294967296.0}});
             }),  // 2^32: beyond every int count
             Catch::Contains("'sms': must be an integer <= 4096, got 4294967296"));
  CHECK_THAT(error_of([&] {
               v100.with({{"sms", 4097.0}});
             }),  // one past the documented bound (gpu_config.cpp)
             Catch::Contains("'sms': must be an integer <= 4096, got 4097"));
  CHECK_THAT(error_of([&] {
               v100.with({{"hbm.channels", 1025.0}});
             }),  // one past 1024 (hbm_params.cpp)
             Catch::Contains("'hbm.channels': must be an integer <= 1024, got 1025"));
  CHECK_THAT(error_of([&] {
               v100.with({{"hbm.bandwidth_gbps", 1e6 + 1}});
             }),  // past 1 PB/s
             Catch::Contains("'hbm.bandwidth_gbps': must be <= 1000000, got 1000001"));
  CHECK_THAT(error_of([&] {
               v100.with({{"hbm.refresh_fraction", 1.0}});
             }),  // fractions keep the interval form
             Catch::Contains("'hbm.refresh_fraction': must be in [0, 1), got 1"));
  CHECK_THAT(error_of([&] {
               v100.with({{"hbm.interleave_bytes", 100.0}});
             }),  // 100 is no multiple of 32
             Catch::Contains("'hbm.interleave_bytes': must be a multiple of access_bytes"));
  CHECK_THAT(error_of([&] { v100.with({{"family", std::string("tpu")}}); }), Catch::Contains("cannot be overridden"));
  CHECK_THAT(error_of([&] {
               v100.with({{"l2.bogus", 1.0}});
             }),
             Catch::Contains("unknown key 'l2.bogus'") && Catch::Contains("l2.capacity_mib"));
  CHECK_THAT(error_of([&] {
               v100.with({{"precision", std::string("int9")}});
             }),
             Catch::Contains("expected one of: fp32, tf32, bf16, fp16, int8, fp8"));
}

TEST_CASE("named entries: the GPU tile menu is read, overridden and listed per entry", "[config][typed]") {
  const AcceleratorConfig v100 = AcceleratorConfig::load("v100");
  const auto& tiles = v100.family_config<accel::GpuConfig>().sm.tiles;
  REQUIRE(tiles.size() == 4);  // v100.yaml: large, medium, small, tiny
  CHECK(tiles[0].name == "large");
  CHECK(tiles[3].name == "tiny");
  const auto changed = v100.with({{"tensor_cores.tiles.small.efficiency", 0.9}});
  CHECK(changed.family_config<accel::GpuConfig>().sm.tiles[2].efficiency == 0.9);
  const auto keys = v100.keys();
  CHECK(std::find(keys.begin(), keys.end(), "tensor_cores.tiles.tiny.blocks_per_sm") != keys.end());
}

TEST_CASE("numbers are written as the shortest text that reads back, scaled, to the same value", "[config][typed]") {
  using accel::format_number;
  CHECK(format_number(80) == "80");  // "8e+01" also reads back: no exponent inside [1e-4, 1e15)
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(1e20) == "1e+20");  // outside the plain range an exponent is shorter and exact
  // 16 digits: the shortest that reads back as the double nearest 1/3 (15 give 0.333333333333333, another double)
  CHECK(format_number(1.0 / 3) == "0.3333333333333333");
  // Scaled keys: capacity_gib is stored in bytes (x 2^30), launch_overhead_ns in seconds (x 1e-9). 80 GiB reads
  // back from "80"; 3266 ns from "3266" (3266 x 1e-9 is the stored double exactly when computed the reader's way).
  const double gib = 1073741824.0;
  CHECK(format_number(80 * gib, gib) == "80");
  CHECK(format_number(3266 * 1e-9, 1e-9) == "3266");
}
