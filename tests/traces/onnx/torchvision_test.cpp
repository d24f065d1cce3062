// torchvision models exported both ways at test time (export_models.py: torch.onnx.export and torch.jit.trace of the
// same eval-mode module, weights=None, 1x3x224x224): the ONNX import must agree with the TorchScript import, which
// goes through the same walker from a LibTorch-read graph.
//  - MODEL_bn.onnx keeps batch norms (TrainingMode.PRESERVE), as the TorchScript graph does: the same network, so
//    parameters, MACs and layer count are equal and latencies within 1% (the issue's bar) on tpuv3 and v100.
//  - MODEL_OPSET.onnx is a plain export, in which PyTorch folds each batch norm that follows a convolution into the
//    convolution's bias: MACs are equal (a batch norm has none), parameters are torchvision's count less the folded
//    channels (each such norm trades gamma and beta, 2C, for a conv bias, C; export_models.py counts them from the
//    PyTorch modules), latencies within 1%.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "tests/traces/onnx/model_dir.h"
#include "traces/onnx/onnx_import.h"
#include "traces/torchscript/torchscript.h"

using namespace rp;

namespace {

struct Info {
  int64_t params = 0;
  int64_t folded = 0;
};

Info read_info(const std::string& model) {
  std::ifstream in(onnx_model(model + ".json"));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::smatch p, f;
  REQUIRE(std::regex_search(text, p, std::regex(R"("params": (\d+))")));
  REQUIRE(std::regex_search(text, f, std::regex(R"("folded_bn_channels": (\d+))")));
  return {std::stoll(p[1]), std::stoll(f[1])};
}

double rel(double a, double b) { return std::fabs(a - b) / b; }

void agree(const std::string& model, const std::vector<int>& opsets) {
  const Info info = read_info(model);
  for (const char* accel : {"tpuv3", "v100"}) {
    const auto acc = accel::make_accelerator(accel);
    traces::TorchScriptOptions t;
    t.input_shape = {1, 3, 224, 224};
    t.dtype = acc->info().precision;
    const traces::Network ts = traces::import_torchscript(onnx_model(model + ".pt"), t);
    const double ts_ms = accel::simulate(ts, *acc).latency_ms;
    traces::OnnxOptions o;
    o.dtype = t.dtype;
    std::vector<std::string> files = {model + "_bn.onnx"};
    for (int opset : opsets) files.push_back(model + "_" + std::to_string(opset) + ".onnx");
    for (const std::string& file : files) {
      INFO(file << " on " << accel);
      const traces::Network ox = traces::import_onnx(onnx_model(file), o);
      const bool kept = file == model + "_bn.onnx";
      CHECK(ts.params() == info.params);
      CHECK(ox.params() == (kept ? info.params : info.params - info.folded));
      CHECK(ox.macs() == ts.macs());
      if (kept) CHECK(ox.size() == ts.size());
      const double ox_ms = accel::simulate(ox, *acc).latency_ms;
      CHECK(rel(ox_ms, ts_ms) < 0.01);
      std::printf("%s on %s: params %lld / %lld, MACs %lld / %lld, latency %.4f / %.4f ms (%+.2f%%)\n", file.c_str(),
                  accel, static_cast<long long>(ox.params()), static_cast<long long>(ts.params()),
                  static_cast<long long>(ox.macs()), static_cast<long long>(ts.macs()), ox_ms, ts_ms,
                  100 * (ox_ms - ts_ms) / ts_ms);
    }
  }
}

}  // namespace

TEST_CASE("onnx: torchvision mobilenet_v3_large at opsets 13 and 17 agrees with its TorchScript import",
          "[onnx][torchvision]") {
  agree("mobilenet_v3_large", {13, 17});  // 13: hard-swish as HardSigmoid + Mul; 17: the HardSwish op
}

TEST_CASE("onnx: torchvision efficientnet_b0 agrees with its TorchScript import", "[onnx][torchvision]") {
  agree("efficientnet_b0", {13});  // SiLU as Sigmoid + Mul, squeeze-and-excitation
}

TEST_CASE("onnx: torchvision regnet_y_400mf agrees with its TorchScript import", "[onnx][torchvision]") {
  agree("regnet_y_400mf", {13});  // group convolutions, squeeze-and-excitation
}

TEST_CASE("onnx: torchvision densenet121 agrees with its TorchScript import", "[onnx][torchvision]") {
  agree("densenet121", {13});  // concatenations, an empty Pad before each average pool, batch norms before convs
}
