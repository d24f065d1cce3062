// Hand-built ONNX graphs (make_tiny_models.py, onnx.helper), one per group of mapped ops. Expected layers, shapes,
// MACs and parameters are derived by hand in the comments (IR shapes are N x H x W x C).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "simulator/error.h"
#include "tests/traces/onnx/model_dir.h"
#include "traces/onnx/onnx_import.h"
#include "traces/onnx/onnx_loader.h"
#include "traces/onnx/onnx_translate.h"

using namespace rp;
using traces::LayerKind;

namespace {

traces::Network import(const std::string& file, int64_t batch = 0) {
  traces::OnnxOptions o;
  o.batch = batch;
  return traces::import_onnx(onnx_model(file), o);
}

struct Expect {
  std::string name;
  LayerKind kind;
  traces::Shape out;  // n, h, w, c
  int64_t macs;
  int64_t params;
};

void check_layers(const traces::Network& net, const std::vector<Expect>& want) {
  REQUIRE(net.size() == static_cast<int>(want.size()));
  for (size_t i = 0; i < want.size(); ++i) {
    const traces::Layer& l = net.layer(static_cast<int>(i));
    INFO("layer " << i << " " << l.name);
    CHECK(l.name == want[i].name);
    CHECK(l.kind == want[i].kind);
    CHECK(l.output == want[i].out);
    CHECK(l.macs == want[i].macs);
    CHECK(l.params == want[i].params);
  }
}

// The aten:: kinds of a translated graph, counted.
std::map<std::string, int> kinds(const rp::traces::ts::TsGraph& g) {
  std::map<std::string, int> out;
  for (const auto& n : g.nodes) ++out[n.kind];
  return out;
}

}  // namespace

TEST_CASE("onnx: conv, batch norm, Clip, depthwise, hard-swish, SiLU, pools, Flatten and Gemm", "[onnx]") {
  // x 1x3x8x8. conv1: 8 filters 3x3, stride 2, pad 1: out (8 + 2 - 3) / 2 + 1 = 4 -> 4x4x8;
  //   MACs 4*4*8 * 3*3*3 = 3456, params 8*27 + 8 (bias) = 224. bn1: gamma and beta, 2*8 = 16 params.
  // Clip(0, 6) is ReLU6. dw: group 8 = depthwise 3x3, pad 1: 4x4x8, MACs 4*4*8*9 = 1152, params 8*9 = 72.
  // Mul(x, HardSigmoid(x)) is one hard-swish, Mul(x, Sigmoid(x)) one SiLU (swish): no sigmoid and no mul layer.
  // maxpool 2/2: 2x2x8; avgpool 2/2: 1x1x8; Flatten of 1x1 is free; fc: Gemm with B [8, 10]: MACs 80, params 90.
  const traces::Network net = import("conv_head.onnx");
  check_layers(net, {{"input", LayerKind::kInput, {1, 8, 8, 3}, 0, 0},
                     {"conv1", LayerKind::kConv2D, {1, 4, 4, 8}, 3456, 224},
                     {"bn1", LayerKind::kBatchNorm, {1, 4, 4, 8}, 0, 16},
                     {"relu6", LayerKind::kActivation, {1, 4, 4, 8}, 0, 0},
                     {"dw", LayerKind::kConv2D, {1, 4, 4, 8}, 1152, 72},
                     {"hswish", LayerKind::kActivation, {1, 4, 4, 8}, 0, 0},
                     {"silu", LayerKind::kActivation, {1, 4, 4, 8}, 0, 0},
                     {"maxpool", LayerKind::kMaxPool, {1, 2, 2, 8}, 0, 0},
                     {"avgpool", LayerKind::kAvgPool, {1, 1, 1, 8}, 0, 0},
                     {"fc", LayerKind::kDense, {1, 1, 1, 10}, 80, 90}});
  CHECK(net.layer(3).act == traces::Act::kReLU6);
  CHECK(net.layer(5).act == traces::Act::kHSwish);
  CHECK(net.layer(6).act == traces::Act::kSwish);
  CHECK(net.macs() == 3456 + 1152 + 80);
  CHECK(net.params() == 224 + 16 + 72 + 90);
}

TEST_CASE("onnx: Split, Identity, Concat, Add, a shuffle through Shape, ReduceMean, MatMul + bias, at batch 3",
          "[onnx][batch]") {
  // x Nx4x4x4 with a symbolic N, simulated at --batch 3. Split on channels: two 4x4x2 halves; Relu on one, Identity
  // on the other (no layer); Concat: 4x4x4; Add x. Reshape to the constant [1, 2, 2, 4, 4] (its leading 1 is the
  // model's batch, so it follows the batch), Transpose(1, 2), Reshape to Shape(x) = a channel shuffle of 2 groups.
  // ReduceMean over H, W: a global average pool; Dropout is the identity; MatMul by [4, 6] + bias [6]: one dense
  // layer, MACs 3 * 4 * 6 = 72, params 4*6 + 6 = 30.
  const traces::Network net = import("branches.onnx", 3);
  check_layers(net, {{"input", LayerKind::kInput, {3, 4, 4, 4}, 0, 0},
                     {"split/0", LayerKind::kSplit, {3, 4, 4, 2}, 0, 0},
                     {"split/1", LayerKind::kSplit, {3, 4, 4, 2}, 0, 0},
                     {"relu", LayerKind::kActivation, {3, 4, 4, 2}, 0, 0},
                     {"cat", LayerKind::kConcat, {3, 4, 4, 4}, 0, 0},
                     {"add", LayerKind::kAdd, {3, 4, 4, 4}, 0, 0},
                     {"view4", LayerKind::kChannelShuffle, {3, 4, 4, 4}, 0, 0},
                     {"mean", LayerKind::kGlobalAvgPool, {3, 1, 1, 4}, 0, 0},
                     {"matmul", LayerKind::kDense, {3, 1, 1, 6}, 72, 30}});
  CHECK(net.batch() == 3);
  CHECK(import("branches.onnx").batch() == 1);  // a symbolic batch is 1 without --batch
}

TEST_CASE("onnx: decomposed GELU and layer norm become one op each, transformer ops keep their aten schema", "[onnx]") {
  // Translation only (the walker's transformer ops are another change): the 5-node Erf GELU is one aten::gelu, the
  // 9-node layer norm (mean, sub, pow, mean, add eps, sqrt, div, mul weight, add bias) one aten::layer_norm, as is
  // LayerNormalization; Transpose(perm 0, 2, 1) swaps two dims: aten::transpose; Gather with a scalar index on a
  // tensor: aten::select.
  const std::string path = onnx_model("transformer_ops.onnx");
  const traces::ts::TsGraph g = traces::onnx::translate(traces::onnx::load_onnx(path, 0), path, 1);
  const std::map<std::string, int> want = {{"aten::gelu", 1},  {"aten::layer_norm", 2}, {"aten::softmax", 1},
                                           {"aten::tanh", 1},  {"aten::transpose", 1},  {"aten::matmul", 1},
                                           {"aten::slice", 1}, {"aten::select", 1}};
  CHECK(kinds(g) == want);
  const auto& ln = g.nodes[1];  // the decomposed layer norm: (x, [8], weight, bias, eps 1e-5, cudnn)
  REQUIRE(ln.kind == "aten::layer_norm");
  CHECK(g.values[static_cast<size_t>(ln.inputs[1])].constant.ints == std::vector<int64_t>{8});
  CHECK(g.values[static_cast<size_t>(ln.inputs[2])].constant.sizes == std::vector<int64_t>{8});
  CHECK(g.values[static_cast<size_t>(ln.inputs[4])].constant.floats[0] == Approx(1e-5));
  CHECK(g.values[static_cast<size_t>(g.nodes[0].inputs[1])].constant.str == "none");  // gelu's approximate
  const auto slice =
      std::find_if(g.nodes.begin(), g.nodes.end(), [](const auto& n) { return n.kind == "aten::slice"; });
  REQUIRE(slice != g.nodes.end());
  const auto& sl = *slice;  // Slice [0, 2) on dim 2: aten::slice(x, 2, 0, 2, 1)
  CHECK(g.values[static_cast<size_t>(sl.inputs[1])].constant.ints[0] == 2);
  CHECK(g.values[static_cast<size_t>(sl.inputs[3])].constant.ints[0] == 2);

  const std::string emb = onnx_model("embedding.onnx");  // Gather from a constant [100, 16] table by run-time ids
  const traces::ts::TsGraph e = traces::onnx::translate(traces::onnx::load_onnx(emb, 0), emb, 1);
  REQUIRE(e.nodes.size() == 1);
  CHECK(e.nodes[0].kind == "aten::embedding");
  CHECK(e.values[static_cast<size_t>(e.nodes[0].inputs[0])].constant.sizes == std::vector<int64_t>{100, 16});
}

TEST_CASE("onnx: a sequence input is refused in one line naming the input", "[onnx]") {
  CHECK_THROWS_WITH(import("transformer_ops.onnx"),
                    Catch::Contains("onnx ") && Catch::Contains("input 'x' has rank 3"));
}
