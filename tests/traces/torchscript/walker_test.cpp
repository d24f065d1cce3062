// The walker on hand-built graph mirrors (what ts_loader.cpp produces from a .pt file), without LibTorch.
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
