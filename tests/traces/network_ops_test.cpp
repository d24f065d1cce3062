// Network IR: the transformer and layout ops (layer.h), each shape, MAC and parameter count derived by hand, and
// add_layer / replay copying a network exactly.
#include <catch2/catch.hpp>

#include <functional>
#include <string>

#include "simulator/error.h"
#include "traces/network/add_layer.h"
#include "traces/network/network.h"

using namespace rp::traces;

namespace {

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const rp::UsageError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("dense over the last dimension and matmul with broadcasting and a transposed operand", "[network][ops]") {
  Network n("t", DType::kBF16);
  const int x = n.add_input("x", {2, 1, 5, 8});  // [B=2, S=5, D=8]
  // dense 8 -> 12 on every token: MACs = 2 x 5 x 8 x 12 = 960; params = 8 x 12 + 12 = 108.
  const Layer& d = n.layer(n.add_dense("fc", x, 12));
  CHECK(d.output == Shape{2, 1, 5, 12});
  CHECK(d.macs == 960);
  CHECK(d.params == 108);
  // Heads: q (2, 3, 5, 4) x k^T with k (2, 3, 7, 4), trans_b: scores (2, 3, 5, 7); MACs = 2 x 3 x 5 x 7 x 4 = 840.
  const int q = n.add_input("q", {2, 3, 5, 4});
  const int k = n.add_input("k", {2, 3, 7, 4});
  const Layer& s = n.layer(n.add_matmul("qk", q, k, true));
  CHECK(s.output == Shape{2, 3, 5, 7});
  CHECK(s.macs == 840);
  CHECK(s.params == 0);
  // Broadcast: (2, 3, 5, 4) x (1, 1, 4, 6) -> (2, 3, 5, 6); MACs = 2 x 3 x 5 x 4 x 6 = 720.
  const int w = n.add_constant("w", {1, 1, 4, 6});
  CHECK(n.layer(w).params == 24);
  const Layer& b = n.layer(n.add_matmul("bcast", q, w));
  CHECK(b.output == Shape{2, 3, 5, 6});
  CHECK(b.macs == 720);
  // Inner dimensions 4 and 7 (k untransposed is (.., 7, 4): K = 7) differ; batch 2 vs 3 does not broadcast.
  CHECK_THAT(message_of([&] { n.add_matmul("bad", q, k); }), Catch::Contains("layer 'bad'"));
  const int r = n.add_input("r", {3, 3, 4, 2});
  CHECK_THAT(message_of([&] { n.add_matmul("bad2", q, r); }), Catch::Contains("broadcastable"));
}

TEST_CASE("attention: shapes, MACs with a KV cache, and its operand checks", "[network][ops]") {
  Network n("t", DType::kF16);
  const int q = n.add_input("q", {2, 4, 1, 8});  // one new token per sequence (a decode step)
  const int k = n.add_input("k", {2, 4, 1, 8});
  const int v = n.add_input("v", {2, 4, 1, 6});
  // keys = 1 + cache 9 = 10; MACs = B H Sq keys (D + Dv) = 2 x 4 x 1 x 10 x (8 + 6) = 1120.
  const Layer& a = n.layer(n.add_attention("attn", q, k, v, true, 9));
  CHECK(a.output == Shape{2, 4, 1, 6});
  CHECK(a.macs == 1120);
  CHECK(a.causal);
  CHECK(a.cache_len == 9);
  CHECK_THAT(message_of([&] { n.add_attention("bad", q, v, v); }), Catch::Contains("layer 'bad'"));
}

TEST_CASE("softmax, layer norm, embedding, constants and activations", "[network][ops]") {
  Network n("t", DType::kF32);
  const int ids = n.add_input("ids", {4, 1, 16, 1});
  // A 100 x 32 table: params 3200; output (4, 1, 16, 32).
  const Layer& e = n.layer(n.add_embedding("tok", ids, 100, 32));
  CHECK(e.output == Shape{4, 1, 16, 32});
  CHECK(e.params == 3200);
  CHECK(e.macs == 0);
  const int pos = n.add_constant("pos", {1, 1, 16, 32});  // position embedding: 16 x 32 = 512 params
  const int sum = n.add_add("emb", n.find("tok"), pos);   // broadcast over the batch
  CHECK(n.layer(sum).output == Shape{4, 1, 16, 32});
  const Layer& ln = n.layer(n.add_layer_norm("ln", sum));
  CHECK(ln.params == 64);  // gamma and beta of 32 channels
  CHECK(n.layer(n.add_softmax("sm", n.find("ln"))).output == Shape{4, 1, 16, 32});
  CHECK(n.layer(n.add_activation("g", n.find("sm"), parse_act("gelu"))).act == Act::kGELU);
  CHECK(parse_act("hardsigmoid") == Act::kHSigmoid);
  CHECK(parse_act("tanh") == Act::kTanh);
  CHECK_THAT(message_of([] { parse_act("mish"); }), Catch::Contains("gelu, hsigmoid, tanh"));
  // Parameters: 3200 + 512 + 64 = 3776; the first input sets batch 4 and a sequence of 16 token ids.
  CHECK(n.params() == 3776);
  CHECK(n.batch() == 4);
  CHECK(n.seq_len() == 16);
  CHECK_THAT(message_of([&] { n.add_embedding("bad", sum, 10, 4); }), Catch::Contains("n x h x w x 1"));
}

TEST_CASE("reshape, permute, relayout, windows, roll, concat and slices on any axis", "[network][ops]") {
  Network n("t", DType::kBF16);
  const int x = n.add_input("x", {2, 8, 8, 16});
  CHECK(n.layer(n.add_reshape("seq", x, {2, 1, 64, 16})).output == Shape{2, 1, 64, 16});
  CHECK_THAT(message_of([&] { n.add_reshape("bad", x, {2, 1, 63, 16}); }), Catch::Contains("number of elements"));
  // perm {0, 3, 1, 2}: output dims (n, c, h, w) = (2, 16, 8, 8).
  CHECK(n.layer(n.add_permute("nchw", x, {{0, 3, 1, 2}})).output == Shape{2, 16, 8, 8});
  CHECK_THAT(message_of([&] { n.add_permute("bad_perm", x, {{0, 1, 1, 2}}); }), Catch::Contains("permutation"));
  const Layer& rl = n.layer(n.add_relayout("r", x, {4, 1, 32, 16}));
  CHECK(rl.kind == LayerKind::kPermute);
  CHECK(rl.perm[0] == -1);
  // Window 4 over 8 x 8: (8/4) x (8/4) = 4 windows per image of 16 tokens: (2 x 4, 1, 16, 16).
  const int win = n.add_window_partition("win", x, 4);
  CHECK(n.layer(win).output == Shape{8, 1, 16, 16});
  CHECK(n.layer(n.add_window_reverse("unwin", win, 4, 8, 8)).output == Shape{2, 8, 8, 16});
  CHECK_THAT(message_of([&] { n.add_window_partition("bad_win", x, 3); }), Catch::Contains("divide"));
  CHECK(n.layer(n.add_roll("roll", x, -2)).output == Shape{2, 8, 8, 16});
  // Concat along w: 8 + 8 = 16; a slice [3, 5) along h keeps 2 rows; chunk 2 of 4 along c: 4 channels.
  CHECK(n.layer(n.add_concat("cat", {x, x}, 2)).output == Shape{2, 8, 16, 16});
  CHECK(n.layer(n.add_slice("rows", x, 1, 3, 2)).output == Shape{2, 2, 8, 16});
  CHECK(n.layer(n.add_split("chunk", x, 4, 2)).output == Shape{2, 8, 8, 4});
  CHECK_THAT(message_of([&] { n.add_slice("bad_slice", x, 1, 7, 2); }), Catch::Contains("does not fit"));
  CHECK_THAT(message_of([&] { n.add_concat("bad_axis", {x}, 4); }), Catch::Contains("axis 4"));
}

TEST_CASE("replay through add_layer copies every layer kind exactly; a new input shape propagates", "[network][ops]") {
  Network n("t", DType::kBF16);
  const int x = n.add_input("x", {1, 8, 8, 16});
  const int win = n.add_window_partition("win", n.add_roll("roll", x, 2), 4);
  const int qkv = n.add_dense("qkv", win, 48);
  const int q = n.add_reshape("q", n.add_slice("qs", qkv, 3, 0, 16), {4, 2, 16, 8});
  const int k = n.add_reshape("k", n.add_split("ks", qkv, 3, 1), {4, 2, 16, 8});
  const int v = n.add_reshape("v", n.add_split("vs", qkv, 3, 2), {4, 2, 16, 8});
  const int a = n.add_attention("attn", q, k, v);
  const int o = n.add_reshape("o", n.add_permute("p", a, {{0, 2, 1, 3}}), {4, 1, 16, 16});
  n.add_layer_norm("ln", n.add_window_reverse("unwin", n.add_softmax("sm", o), 4, 8, 8));
  const Network copy = replay(n, [](const Layer& l) { return l.output; });
  REQUIRE(copy.size() == n.size());
  for (int i = 0; i < n.size(); ++i) {
    CHECK(copy.layer(i).name == n.layer(i).name);
    CHECK(copy.layer(i).kind == n.layer(i).kind);
    CHECK(copy.layer(i).output == n.layer(i).output);
    CHECK(copy.layer(i).macs == n.layer(i).macs);
    CHECK(copy.layer(i).params == n.layer(i).params);
  }
  // Batch 3: the input and every target shape with the batch scaled (the windows carry it in n: 4 per image).
  const Network b3 = replay(n, [](const Layer& l) {
    Shape s = l.output;
    s.n *= 3;
    return s;
  });
  // Attention MACs: B H Sq keys (D + Dv) = (3 x 4 windows) x 2 x 16 x 16 x (8 + 8) = 98304.
  CHECK(b3.layer(b3.find("attn")).macs == 98304);
  CHECK(b3.layer(b3.size() - 1).output == Shape{3, 8, 8, 16});
}
