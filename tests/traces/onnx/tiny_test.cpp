// Hand-built ONNX graphs (make_tiny_models.py, onnx.helper), one per group of mapped ops. Expected layers, shapes,
// MACs and parameters are derived by hand in the comments (IR shapes are N x H x W x C).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
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

namespace {

// Layers of `kind` in `net`.
std::vector<const traces::Layer*> of_kind(const traces::Network& net, LayerKind kind) {
  std::vector<const traces::Layer*> out;
  for (int i = 0; i < net.size(); ++i) {
    if (net.layer(i).kind == kind) out.push_back(&net.layer(i));
  }
  return out;
}

const traces::ts::TsNode* node_of(const traces::ts::TsGraph& g, const std::string& kind) {
  for (const auto& n : g.nodes) {
    if (n.kind == kind) return &n;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("onnx: a class token Expand-ed through ConstantOfShape, Equal and Where is concatenated in front", "[onnx]") {
  // x 1x3x4x4. proj: 8 filters 2x2, stride 2: 2x2x8, MACs 2*2*8 * 3*2*2 = 384, params 8*12 + 8 = 104. The class
  // token [1, 1, 8] is a constant of 8 params; the target [1, -1, -1] with its -1s replaced by the ConstantOfShape's
  // ones (Equal, Where, folded) broadcasts it to [1, 1, 8]; Concat after it: 1 + 2*2 = 5 tokens of 8.
  const traces::Network net = import("class_token.onnx");
  CHECK(net.macs() == 384);
  CHECK(net.params() == 104 + 8);
  const auto cats = of_kind(net, LayerKind::kConcat);
  REQUIRE(cats.size() == 1);
  CHECK(cats[0]->output == traces::Shape{1, 1, 5, 8});
  REQUIRE(of_kind(net, LayerKind::kConstant).size() == 1);
  CHECK(of_kind(net, LayerKind::kConstant)[0]->params == 8);
}

TEST_CASE("onnx: a zero Pad before an AveragePool or a Conv becomes their padding", "[onnx]") {
  // x 1x2x6x6, Pad by 1 on H and W. pool: 3x3, stride 1, on the padded 8x8: 6x6x2, the same as avg_pool2d(3, 1,
  // padding 1, count_include_pad) (every window averages 9 values, padded zeros included, as after the Pad).
  // conv: 4 filters 3x3 on 8x8: 6x6x4, MACs 6*6*4 * 2*9 = 2592, params 4*18 = 72 (no bias).
  // The same graph at opset 10, the pads a Pad attribute rather than its second input: the same network.
  for (const char* file : {"pad_pool.onnx", "pad_attribute.onnx"}) {
    INFO(file);
    check_layers(import(file), {{"input", LayerKind::kInput, {1, 6, 6, 2}, 0, 0},
                                {"pool", LayerKind::kAvgPool, {1, 6, 6, 2}, 0, 0},
                                {"conv", LayerKind::kConv2D, {1, 6, 6, 4}, 2592, 72},
                                {"cat", LayerKind::kConcat, {1, 6, 6, 6}, 0, 0}});
  }
  const std::string path = onnx_model("pad_pool.onnx");
  const traces::ts::TsGraph g = traces::onnx::translate(traces::onnx::load_onnx(path, 0), path, 1);
  const traces::ts::TsNode* pool = node_of(g, "aten::avg_pool2d");  // (x, kernel, stride, padding, ceil, count_pad)
  REQUIRE(pool);
  CHECK(g.values[static_cast<size_t>(pool->inputs[3])].constant.ints == std::vector<int64_t>{1, 1});
  CHECK(g.values[static_cast<size_t>(pool->inputs[5])].constant.ints == std::vector<int64_t>{1});  // count_include_pad
  const traces::ts::TsNode* conv = node_of(g, "aten::_convolution");  // (x, w, b, stride, padding, ...)
  REQUIRE(conv);
  CHECK(g.values[static_cast<size_t>(conv->inputs[4])].constant.ints == std::vector<int64_t>{1, 1});
  // Pads that differ at the two ends, or an average pool with ceil_mode after the Pad, are not one padded op.
  CHECK_THROWS_WITH(import("pad_uneven.onnx"), Catch::Contains("Pad by [0, 0, 1, 1, 0, 0, 2, 2]") &&
                                                   Catch::Contains("equal ones on H and W") &&
                                                   Catch::Contains("at node Pad 'pad1'"));
  CHECK_THROWS_WITH(import("pad_ceil.onnx"), Catch::Contains("ceil_mode 1") && Catch::Contains("AveragePool 'pool'"));
}

TEST_CASE("onnx: Slices bounded by sizes computed from Shape get their shapes, a channel shuffle follows", "[onnx]") {
  // x 1x4x2x2. half = (Shape(x)[1] + 1) / 2 = 2: Slice [0, 2) and [2, end) on channels, 2x2x2 each (ONNX's own
  // inference leaves them unknown; the importer infers again with half as a constant). Relu on the second, Concat:
  // 2x2x4, then Reshape [1, 2, 2, 2, 2], Transpose(1, 2), Reshape [1, -1, 2, 2]: one channel shuffle of 2 groups.
  const traces::Network net = import("shape_split.onnx");
  check_layers(net, {{"input", LayerKind::kInput, {1, 2, 2, 4}, 0, 0},
                     {"lo", LayerKind::kSplit, {1, 2, 2, 2}, 0, 0},
                     {"hi", LayerKind::kSplit, {1, 2, 2, 2}, 0, 0},
                     {"relu", LayerKind::kActivation, {1, 2, 2, 2}, 0, 0},
                     {"cat", LayerKind::kConcat, {1, 2, 2, 4}, 0, 0},
                     {"shuffle", LayerKind::kChannelShuffle, {1, 2, 2, 4}, 0, 0}});
}

TEST_CASE("onnx: multi-head attention's bmm, softmax, bmm is one attention, a flattened Gemm one dense, Einsum",
          "[onnx]") {
  // Tokens t [1, 16, 3] from x 1x3x4x4. MatMul(Div(t, sqrt 3), t^T), Softmax, MatMul(., t): one attention layer of
  // q, k, v [1, 1, 16, 3] (lifted to B x H x S x D), MACs QK^T 16*16*3 + AV 16*16*3 = 1536, and no softmax of its
  // own. Reshape [16, 3] -> Gemm 3 -> 5 -> Reshape [16, 1, 5] -> Transpose(1, 0, 2): one dense on [1, 16, 3], MACs
  // 16*3*5 = 240, params 3*5 + 5 = 20, output 1x1x16x5 (no reshape after it). Einsum 'bhik,bhjk->bhij' of that with
  // itself: a matmul, MACs 16*16*5 = 1280; Softmax over [1, 1, 16, 16] (its shape from the equation).
  const traces::Network net = import("attention_block.onnx");
  const auto att = of_kind(net, LayerKind::kAttention);
  REQUIRE(att.size() == 1);
  CHECK(att[0]->macs == 1536);
  CHECK(att[0]->output == traces::Shape{1, 1, 16, 3});
  const auto dense = of_kind(net, LayerKind::kDense);
  REQUIRE(dense.size() == 1);
  CHECK(dense[0]->output == traces::Shape{1, 1, 16, 5});
  CHECK(dense[0]->macs == 240);
  CHECK(dense[0]->params == 20);
  REQUIRE(of_kind(net, LayerKind::kMatMul).size() == 1);
  CHECK(of_kind(net, LayerKind::kMatMul)[0]->macs == 1280);
  REQUIRE(of_kind(net, LayerKind::kSoftmax).size() == 1);  // softmax2 only: the attention's is inside it
  CHECK(of_kind(net, LayerKind::kSoftmax)[0]->output == traces::Shape{1, 1, 16, 16});
  CHECK(net.macs() == 1536 + 240 + 1280);
}

TEST_CASE("onnx: Swin's roll, a mask computed from sizes, a scale from Shape and a strided Slice", "[onnx]") {
  // x 1x2x4x4 -> NHWC [1, 4, 4, 2]. Slice [1:] + [:1] concatenated on dim 1, then on dim 2: torch.roll by (-1, -1)
  // over dims (1, 2), one roll layer. ConstantOfShape [4, 4, 2] unsqueezed: a constant of 4*4*2 = 32 elements
  // (computed from sizes only), added. Pow(Cast(Shape(x)[1] = 2), -0.5): a number, one scalar multiply. Slice
  // [0::2] on dim 1: [1, 2, 4, 2], 16 elements.
  const traces::Network net = import("swin_bits.onnx");
  const auto rolls = of_kind(net, LayerKind::kRoll);
  REQUIRE(rolls.size() == 1);
  CHECK(rolls[0]->output == traces::Shape{1, 4, 4, 2});
  CHECK(of_kind(net, LayerKind::kConcat).empty());
  const auto consts = of_kind(net, LayerKind::kConstant);
  REQUIRE(consts.size() == 2);  // the mask and the scale
  CHECK(consts[0]->output.elements() == 32);
  CHECK(consts[0]->params == 0);  // computed from sizes: no learned parameter (held in memory all the same)
  CHECK(consts[1]->params == 0);  // a number computed from sizes: no learned parameter (docs/torchscript.md)
  CHECK(of_kind(net, LayerKind::kAdd).size() == 1);
  CHECK(of_kind(net, LayerKind::kMul).size() == 1);
  CHECK(net.layer(net.size() - 1).output.elements() == 16);
  const std::string path = onnx_model("swin_bits.onnx");
  const traces::ts::TsGraph g = traces::onnx::translate(traces::onnx::load_onnx(path, 0), path, 1);
  const traces::ts::TsNode* roll = node_of(g, "aten::roll");  // (x, shifts, dims)
  REQUIRE(roll);
  CHECK(g.values[static_cast<size_t>(roll->inputs[1])].constant.ints == std::vector<int64_t>{-1, -1});
  CHECK(g.values[static_cast<size_t>(roll->inputs[2])].constant.ints == std::vector<int64_t>{1, 2});
  const traces::ts::TsNode* mul = node_of(g, "aten::mul");
  REQUIRE(mul);
  CHECK(g.values[static_cast<size_t>(mul->inputs[1])].constant.floats.at(0) == Approx(1 / std::sqrt(2.0)));
}
