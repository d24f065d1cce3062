// Cross-check of two independent model definitions: torchvision's models, exported with torch.jit.trace at test
// time (scripts/export_torchvision.py, weights=None, eval mode, 1x3x224x224) and imported, against the zoo's own
// builders. Parameters must be equal, MACs within 1% and simulated TPUv3 latency (batch 128) within 5%.
// torchvision's EfficientNet pads symmetrically (k // 2) where the zoo uses TF "same"; at 224 every output size,
// and so every MAC, is the same.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <string>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "tests/traces/torchscript/model_dir.h"
#include "traces/torchscript/torchscript.h"
#include "traces/zoo/zoo.h"

using namespace rp;

namespace {

constexpr int64_t kBatch = 128;

traces::Network import(const std::string& torchvision_name, traces::DType dtype) {
  traces::TorchScriptOptions o;
  o.input_shape = {1, 3, 224, 224};
  o.batch = kBatch;  // overrides N, as `--batch 128` does on the command line
  o.dtype = dtype;
  return traces::import_torchscript(model_path(torchvision_name + ".pt"), o);
}

double rel(double a, double b) { return std::fabs(a - b) / b; }

void cross_check(const std::string& torchvision_name, const std::string& zoo_name, int64_t torchvision_params) {
  const auto acc = accel::make_accelerator("tpuv3");
  const traces::Network ts = import(torchvision_name, acc->info().precision);
  traces::BuildOptions b;
  b.batch = kBatch;
  b.dtype = acc->info().precision;
  const traces::Network zoo = traces::build_model(zoo_name, b);

  CHECK(ts.batch() == kBatch);
  CHECK(ts.params() == torchvision_params);
  CHECK(zoo.params() == torchvision_params);
  CHECK(rel(ts.macs(), zoo.macs()) < 0.01);
  const double ts_ms = accel::simulate(ts, *acc).latency_ms;
  const double zoo_ms = accel::simulate(zoo, *acc).latency_ms;
  CHECK(rel(ts_ms, zoo_ms) < 0.05);
  std::printf(
      "%s vs %s: params %lld / %lld, MACs %lld / %lld (%+.3f%%), tpuv3 batch %lld latency %.4f / %.4f ms "
      "(%+.3f%%), layers %d / %d\n",
      torchvision_name.c_str(), zoo_name.c_str(), static_cast<long long>(ts.params()),
      static_cast<long long>(zoo.params()), static_cast<long long>(ts.macs()), static_cast<long long>(zoo.macs()),
      100.0 * (ts.macs() - zoo.macs()) / zoo.macs(), static_cast<long long>(kBatch), ts_ms, zoo_ms,
      100.0 * (ts_ms - zoo_ms) / zoo_ms, ts.size(), zoo.size());
}

}  // namespace

TEST_CASE("torchvision efficientnet_b0 matches the zoo's efficientnet-b0", "[torchscript][cross-check]") {
  cross_check("efficientnet_b0", "efficientnet-b0", 5288548);
}

TEST_CASE("torchvision resnet50 matches the zoo's resnet-50", "[torchscript][cross-check]") {
  cross_check("resnet50", "resnet-50", 25557032);
}

TEST_CASE("torchvision mobilenet_v2 matches the zoo's mobilenet-v2", "[torchscript][cross-check]") {
  cross_check("mobilenet_v2", "mobilenet-v2", 3504872);
}

// No zoo counterpart: the import must succeed (hard-sigmoid, hard-swish, channel shuffle, chunk) with torchvision's
// parameter counts; the importer itself checks that the output shape equals the model's.
TEST_CASE("torchvision mobilenet_v3_small and shufflenet_v2_x0_5 import", "[torchscript]") {
  // Parameter counts as published in torchvision's model docs (num_params): 2,542,856 and 1,366,792.
  // ShuffleNetV2 has one channel shuffle per unit: stages of 4 + 8 + 4 units = 16 (Ma et al. 2018, Table 5).
  CHECK(import("mobilenet_v3_small", traces::DType::kF32).params() == 2542856);
  const traces::Network shuffle = import("shufflenet_v2_x0_5", traces::DType::kF32);
  CHECK(shuffle.params() == 1366792);
  int shuffles = 0;
  for (const auto& l : shuffle.layers()) shuffles += l.kind == traces::LayerKind::kChannelShuffle;
  CHECK(shuffles == 16);
}
