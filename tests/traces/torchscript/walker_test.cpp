// The walker on hand-built graph mirrors (what ts_loader.cpp produces from a .pt file), without LibTorch.
#include <algorithm>
#include <array>

#include <catch2/catch.hpp>

#include "simulator/error.h"
#include "traces/network/network.h"
#include "traces/torchscript/walker.h"

using namespace rp::traces;
using namespace rp::traces::ts;

namespace {

// x [1, 16] (flattened from NCHW 1x4x2x2) @ W [16, 8] + b [8]: nn.Linear(16, 8) after a flatten, as scripted.
// Values: 0 x, 1 start_dim 1, 2 end_dim -1, 3 flat, 4 W, 5 y, 6 b, 7 alpha 1, 8 out.
TsGraph linear_graph(bool matmul_has_output) {
  TsGraph g;
  Sym weight, bias;
  weight.kind = bias.kind = Sym::Kind::kTensorConst;
  weight.sizes = {16, 8};
  bias.sizes = {8};
  g.values = {{"%x", false, {}},    {"%1", true, Sym::of_int(1)}, {"%2", true, Sym::of_int(-1)},
              {"%flat", false, {}}, {"%w", true, weight},         {"%y", false, {}},
              {"%b", true, bias},   {"%7", true, Sym::of_int(1)}, {"%out", false, {}}};
  g.input = 0;
  g.nodes.push_back({"aten::flatten", {0, 1, 2}, {3}, "", "flatten", {}});
  g.nodes.push_back(
      {"aten::matmul", {3, 4}, matmul_has_output ? std::vector<int>{5} : std::vector<int>{}, "fc", "matmul", {}});
  g.nodes.push_back({"aten::add", {5, 6, 7}, {8}, "fc", "add", {}});
  g.outputs = {8};
  return g;
}

}  // namespace

TEST_CASE("walker: matmul plus a constant bias is one dense layer", "[torchscript]") {
  const TsGraph g = linear_graph(true);
  Network net("linear", DType::kF32);
  Walker w(g, net, "linear.pt");
  w.run(net.add_input("input", {1, 2, 2, 4}));  // NHWC
  // input, flatten (2 x 2 x 4 -> 16 features), dense (the bias add folded into it): 3 layers; output N x 8.
  REQUIRE(net.size() == 3);
  CHECK(net.layers().back().output.c == 8);
  CHECK(torch_sizes(w, w.value(8)) == std::vector<int64_t>{1, 8});
}

TEST_CASE("walker: a matmul node without an output is a usage error, not a crash", "[torchscript]") {
  // Found by tests/fuzz/fuzz_ts_walker: op_matmul read outputs[0] unchecked.
  const TsGraph g = linear_graph(false);
  Network net("linear", DType::kF32);
  Walker w(g, net, "linear.pt");
  const int input = net.add_input("input", {1, 2, 2, 4});
  CHECK_THROWS_MATCHES(w.run(input), rp::UsageError,
                       Catch::Message("torchscript linear.pt: 'aten::matmul' has no output at node matmul"));
}

TEST_CASE("walker: int arithmetic beyond the int64 range is a usage error, not undefined behaviour", "[torchscript]") {
  // Found by tests/fuzz/fuzz_ts_walker: the double result of int + int was converted to int64 unchecked.
  // 2^62 + 2^62 = 2^63, one past the largest int64.
  const int64_t big = int64_t{1} << 62;
  TsGraph g;
  g.values = {{"%x", false, {}}, {"%a", true, Sym::of_int(big)}, {"%b", true, Sym::of_int(big)}, {"%r", false, {}}};
  g.input = 0;
  g.nodes.push_back({"aten::add", {1, 2}, {3}, "", "add", {}});
  g.outputs = {3};
  Network net("ints", DType::kF32);
  Walker w(g, net, "ints.pt");
  CHECK_THROWS_MATCHES(w.run(net.add_input("input", {1, 2, 2, 4})), rp::UsageError,
                       Catch::Message("torchscript ints.pt: the number 9223372036854775808.000000 does not fit an int "
                                      "at node add"));
}

TEST_CASE("walker: reshape sizes whose product overflows int64 are a usage error, not undefined behaviour",
          "[torchscript]") {
  // Found by tests/fuzz/fuzz_ts_walker (UBSan: signed overflow in the reshape's size product). The input is NCHW
  // 1x4x2x2 (16 elements); the requested sizes 2^62 x 4 multiply to 2^64, past the int64 range, so they cannot be
  // compared with 16: the reshape is refused naming both size lists.
  Sym sizes;
  sizes.kind = Sym::Kind::kInts;
  sizes.ints = {int64_t{1} << 62, 4};
  TsGraph g;
  g.values = {{"%x", false, {}}, {"%s", true, sizes}, {"%r", false, {}}};
  g.input = 0;
  g.nodes.push_back({"aten::reshape", {0, 1}, {2}, "", "reshape", {}});
  g.outputs = {2};
  Network net("big", DType::kF32);
  Walker w(g, net, "big.pt");
  CHECK_THROWS_MATCHES(
      w.run(net.add_input("input", {1, 2, 2, 4})), rp::UsageError,
      Catch::Message("torchscript big.pt: cannot reshape [1, 4, 2, 2] to [4611686018427387904, 4] at node reshape"));
}

// --- The layout rules of layout.h on small hand-built graphs: which IR layers a shape op costs. ---
namespace {

// Appends values and nodes to a TsGraph: constants, and one node per op with one fresh output value.
struct GraphBuilder {
  TsGraph g;
  GraphBuilder() {
    g.values.push_back({"%x", false, {}});
    g.input = 0;
  }
  int constant(Sym s) {
    g.values.push_back({"%c" + std::to_string(g.values.size()), true, std::move(s)});
    return static_cast<int>(g.values.size()) - 1;
  }
  int ints(std::vector<int64_t> v) {
    Sym s;
    s.kind = Sym::Kind::kInts;
    s.ints = std::move(v);
    return constant(s);
  }
  int num(int64_t v) { return constant(Sym::of_int(v)); }
  int op(const std::string& kind, std::vector<int> inputs) {
    g.values.push_back({"%v" + std::to_string(g.values.size()), false, {}});
    const int out = static_cast<int>(g.values.size()) - 1;
    g.nodes.push_back({kind, std::move(inputs), {out}, "", kind, {}});
    g.outputs = {out};
    return out;
  }
};

std::vector<LayerKind> layer_kinds(const Network& net) {
  std::vector<LayerKind> out;
  for (const Layer& l : net.layers()) out.push_back(l.kind);
  return out;
}

}  // namespace

TEST_CASE("walker layout: flatten(2).transpose(1, 2) of an NCHW conv output moves no data", "[torchscript]") {
  // A conv output NCHW [1, 8, 4, 4] is stored NHWC (1, 4, 4, 8). flatten(2) merges H and W, stored next to each
  // other and in order: [1, 8, 16], stored as (16, 8). transpose(1, 2) gives [1, 16, 8], which is that storage in
  // its own order: no layer at all (ViT's and Swin's patch embedding).
  GraphBuilder b;
  const int flat = b.op("aten::flatten", {0, b.num(2), b.num(-1)});
  const int tokens = b.op("aten::transpose", {flat, b.num(1), b.num(2)});
  SECTION("a layer norm over the channels reads the conv output itself") {
    const int norm = b.op("aten::layer_norm", {tokens, b.ints({8}), b.constant(Sym::none()), b.constant(Sym::none()),
                                               b.constant(Sym::of_float(1e-5)), b.constant(Sym::of_bool(false))});
    Network net("patches", DType::kF32);
    Walker w(b.g, net, "patches.pt");
    w.run(net.add_input("input", {1, 4, 4, 8}));
    // input, layer norm over c = 8 of (1, 4, 4, 8): no permute, no reshape.
    REQUIRE(layer_kinds(net) == std::vector<LayerKind>{LayerKind::kInput, LayerKind::kLayerNorm});
    CHECK(net.layers()[1].inputs == std::vector<int>{0});
    CHECK(torch_sizes(w, w.value(norm)) == std::vector<int64_t>{1, 16, 8});
  }
  SECTION("a matmul that needs the (1, 1, 16, 8) shape gets one metadata-only kReshape") {
    const int scores = b.op("aten::matmul", {tokens, b.op("aten::transpose", {tokens, b.num(1), b.num(2)})});
    Network net("patches", DType::kF32);
    Walker w(b.g, net, "patches.pt");
    w.run(net.add_input("input", {1, 4, 4, 8}));
    // [1, 16, 8] @ [1, 8, 16]: a is (1, 1, 16, 8), one reshape of (1, 4, 4, 8); b is the same storage read
    // transposed (trans_b, shape (1, 1, 16, 8) too): the same reshape serves both. No permute.
    REQUIRE(layer_kinds(net) == std::vector<LayerKind>{LayerKind::kInput, LayerKind::kReshape, LayerKind::kMatMul});
    CHECK(net.layers()[1].output == Shape{1, 1, 16, 8});
    CHECK(net.layers()[2].inputs == std::vector<int>{1, 1});
    CHECK(net.layers()[2].trans_b);
    CHECK(torch_sizes(w, w.value(scores)) == std::vector<int64_t>{1, 16, 16});
  }
}

namespace {

// Runs `b` on an input bound as a PyTorch tensor of sizes `dims` stored in its own order (layer shape `shape`).
void run_view(Walker& w, Network& net, const std::vector<int64_t>& dims, Shape shape) {
  std::vector<int> order(dims.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  w.run_with(Sym::of_view(net.add_input("input", shape), dims, order));
}

}  // namespace

TEST_CASE("walker layout: a transpose feeding a matmul is read as trans_b, not moved", "[torchscript]") {
  // x [1, 2, 4, 3] (batch, heads, seq, head dim) stored as (1, 2, 4, 3). x @ x.transpose(-2, -1): the second
  // operand [1, 2, 3, 4] is x's storage read transposed, so the matmul takes the input layer twice with trans_b and
  // no other layer is added; scores [1, 2, 4, 4].
  GraphBuilder b;
  const int kt = b.op("aten::transpose", {0, b.num(-2), b.num(-1)});
  const int scores = b.op("aten::matmul", {0, kt});
  Network net("scores", DType::kF32);
  Walker w(b.g, net, "scores.pt");
  run_view(w, net, {1, 2, 4, 3}, {1, 2, 4, 3});
  REQUIRE(layer_kinds(net) == std::vector<LayerKind>{LayerKind::kInput, LayerKind::kMatMul});
  CHECK(net.layers()[1].trans_b);
  CHECK(net.layers()[1].inputs == std::vector<int>{0, 0});
  CHECK(net.layers()[1].output == Shape{1, 2, 4, 4});
  CHECK(torch_sizes(w, w.value(scores)) == std::vector<int64_t>{1, 2, 4, 4});
}

TEST_CASE("walker layout: a permute whose result must be contiguous becomes one kPermute", "[torchscript]") {
  // x [1, 2, 4, 3] stored in order; permute(0, 2, 1, 3) -> [1, 4, 2, 3] is metadata only until reshape(1, 4, 6)
  // merges dims 2 and 3, which are not stored together (storage order 0, 2, 1, 3). The data moves once: a
  // kPermute of (1, 2, 4, 3) with perm (0, 2, 1, 3) to (1, 4, 2, 3), which already holds [1, 4, 6] in order.
  GraphBuilder b;
  const int p = b.op("aten::permute", {0, b.ints({0, 2, 1, 3})});
  const int r = b.op("aten::reshape", {p, b.ints({1, 4, 6})});
  Network net("permute", DType::kF32);
  Walker w(b.g, net, "permute.pt");
  run_view(w, net, {1, 2, 4, 3}, {1, 2, 4, 3});
  REQUIRE(layer_kinds(net) == std::vector<LayerKind>{LayerKind::kInput, LayerKind::kPermute});
  CHECK(net.layers()[1].perm == std::array<int, 4>{{0, 2, 1, 3}});
  CHECK(net.layers()[1].output == Shape{1, 4, 2, 3});
  CHECK(torch_sizes(w, w.value(r)) == std::vector<int64_t>{1, 4, 6});
}

TEST_CASE("walker layout: Swin's 6-D window partition is one 4-block kPermute", "[torchscript]") {
  // x [2, 4, 4, 3] (B, H, W, C) with window 2: view(2, 2, 2, 2, 2, 3) splits H and W (free), permute(0, 1, 3, 2, 4,
  // 5) swaps the in-window row with the window column, view(-1, 2, 2, 3) -> [8, 2, 2, 3] needs it contiguous. The
  // storage order is 0 1 3 2 4 5; the target order 0 1 2 3 4 5 runs in blocks {0, 1} (4), {2} (2), {3} (2),
  // {4, 5} (6), four blocks: one kPermute of (4, 2, 2, 6) with perm (0, 2, 1, 3) to (4, 2, 2, 6), then a reshape
  // to the [8, 2, 2, 3] default shape (8, 2, 2, 3).
  GraphBuilder b;
  const int split = b.op("aten::view", {0, b.ints({2, 2, 2, 2, 2, 3})});
  const int p = b.op("aten::permute", {split, b.ints({0, 1, 3, 2, 4, 5})});
  const int windows = b.op("aten::view", {p, b.ints({-1, 2, 2, 3})});
  const int act = b.op("aten::relu", {windows});  // a consumer of the 4-D layer
  Network net("windows", DType::kF32);
  Walker w(b.g, net, "windows.pt");
  run_view(w, net, {2, 4, 4, 3}, {2, 4, 4, 3});
  const std::vector<LayerKind> k = layer_kinds(net);
  REQUIRE(std::count(k.begin(), k.end(), LayerKind::kPermute) == 1);
  const Layer& move = *std::find_if(net.layers().begin(), net.layers().end(),
                                    [](const Layer& l) { return l.kind == LayerKind::kPermute; });
  CHECK(move.perm == std::array<int, 4>{{0, 2, 1, 3}});
  CHECK(move.output == Shape{4, 2, 2, 6});
  CHECK(net.layers().back().output == Shape{8, 2, 2, 3});
  CHECK(torch_sizes(w, w.value(act)) == std::vector<int64_t>{8, 2, 2, 3});
}

TEST_CASE("walker layout: a 5-D permute of five blocks becomes a relayout", "[torchscript]") {
  // x [2, 3, 4, 5, 6] (stored in order, as (6, 4, 5, 6) after merging the leading dims) reversed by permute(4, 3,
  // 2, 1, 0) and flattened: no dim of the target order follows its predecessor in the source, so five blocks, more
  // than a 4-D permute can express: one relayout (a kPermute with perm[0] == -1) to the reversed tensor
  // [6, 5, 4, 3, 2] in its default shape (leading dims merged into n: (30, 4, 3, 2)), which holds [720] in order.
  GraphBuilder b;
  const int p = b.op("aten::permute", {0, b.ints({4, 3, 2, 1, 0})});
  const int flat = b.op("aten::flatten", {p, b.num(0), b.num(-1)});
  Network net("reverse", DType::kF32);
  Walker w(b.g, net, "reverse.pt");
  run_view(w, net, {2, 3, 4, 5, 6}, {6, 4, 5, 6});
  REQUIRE(layer_kinds(net) == std::vector<LayerKind>{LayerKind::kInput, LayerKind::kPermute});
  CHECK(net.layers()[1].perm[0] == -1);
  CHECK(net.layers()[1].output == Shape{30, 4, 3, 2});
  CHECK(torch_sizes(w, w.value(flat)) == std::vector<int64_t>{720});
}

TEST_CASE("walker: einsum of a batched matmul (MaxViT's) is one matmul; another equation fails naming it",
          "[torchscript]") {
  // "B G H I D, B G H J D -> B G H I J" on q = k = x [1, 2, 3, 4, 5] (stored in order as (2, 3, 4, 5) after the
  // size-1 batch is dropped): k is read transposed (trans_b), the batch dims B G H (1, 2, 3) merge into the
  // matmul's n, h = (2, 3) without moving data: one matmul (2, 3, 4, 5) x (2, 3, 4, 5)^T -> (2, 3, 4, 4),
  // scores [1, 2, 3, 4, 4].
  GraphBuilder b;
  Sym eq;
  eq.kind = Sym::Kind::kString;
  eq.str = "B G H I D, B G H J D -> B G H I J";
  const int list = b.op("prim::ListConstruct", {0, 0});
  const int e = b.constant(eq);
  const int scores = b.op("aten::einsum", {e, list, b.constant(Sym::none())});
  Network net("einsum", DType::kF32);
  SECTION("a batched matmul") {
    Walker w(b.g, net, "einsum.pt");
    run_view(w, net, {1, 2, 3, 4, 5}, {2, 3, 4, 5});
    REQUIRE(layer_kinds(net) == std::vector<LayerKind>{LayerKind::kInput, LayerKind::kMatMul});
    CHECK(net.layers()[1].trans_b);
    CHECK(net.layers()[1].output == Shape{2, 3, 4, 4});
    CHECK(torch_sizes(w, w.value(scores)) == std::vector<int64_t>{1, 2, 3, 4, 4});
  }
  SECTION("an equation that is no matmul (the output keeps the summed label D)") {
    b.g.values[static_cast<size_t>(e)].constant.str = "BGHID,BGHJD->BGHIJD";
    Walker w(b.g, net, "einsum.pt");
    CHECK_THROWS_WITH(run_view(w, net, {1, 2, 3, 4, 5}, {2, 3, 4, 5}),
                      Catch::Contains("einsum 'BGHID,BGHJD->BGHIJD' (only batched matmuls"));
  }
}
