// Importing the small test models of scripts/export_test_models.py (exported at test time into the build folder).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "simulator/error.h"
#include "tests/traces/torchscript/model_dir.h"
#include "traces/torchscript/torchscript.h"

using namespace rp::traces;

namespace {

Network import(const std::string& file, std::vector<int64_t> shape = {1, 3, 32, 32}, int64_t batch = 0) {
  TorchScriptOptions o;
  o.input_shape = std::move(shape);
  o.batch = batch;
  return import_torchscript(model_path(file), o);
}

std::vector<std::string> kinds(const Network& n) {
  std::vector<std::string> out;
  for (const Layer& l : n.layers()) {
    out.push_back(l.kind == LayerKind::kActivation ? act_name(l.act) : kind_name(l.kind));
  }
  return out;
}

int count(const Network& n, LayerKind k) {
  int c = 0;
  for (const Layer& l : n.layers()) c += l.kind == k;
  return c;
}

}  // namespace

// conv 3->8 3x3/2 on 32x32: 16*16*8 outputs x 27 MACs = 55,296; linear 8->10: 80. Params: 216 + BN 16 + 90.
TEST_CASE("tiny traced model: layers, shapes, names and counts", "[torchscript]") {
  const Network n = import("tiny.pt");
  CHECK(n.name() == "tiny");
  CHECK(kinds(n) == std::vector<std::string>{"input", "conv2d", "batch_norm", "relu", "global_avg_pool", "dense"});
  CHECK(n.layer(0).output == Shape{1, 32, 32, 3});
  CHECK(n.layer(1).output == Shape{1, 16, 16, 8});
  CHECK(n.layer(1).name == "conv");
  CHECK(n.layer(2).name == "bn");
  CHECK(n.layer(2).foldable);
  CHECK(n.layer(5).name == "fc");
  CHECK(n.layer(5).output == Shape{1, 1, 1, 10});
  CHECK(n.macs() == 55296 + 80);
  CHECK(n.params() == 216 + 16 + 90);
}

TEST_CASE("scripted and traced exports of one model import alike", "[torchscript]") {
  const Network t = import("tiny.pt"), s = import("tiny_scripted.pt");
  CHECK(kinds(s) == kinds(t));
  CHECK(s.macs() == t.macs());
  CHECK(s.params() == t.params());
  CHECK(s.layer(1).name == "conv");  // from the inlined call stack
  CHECK(s.layer(5).name == "fc");
}

TEST_CASE("the batch override replaces N and MACs scale with it", "[torchscript]") {
  const Network one = import("tiny.pt"), four = import("tiny.pt", {1, 3, 32, 32}, 4);
  CHECK(four.batch() == 4);
  CHECK(four.macs() == 4 * one.macs());
  CHECK(import("tiny.pt", {2, 3, 32, 32}).batch() == 2);
  CHECK(import("tiny.pt", {1, 3, 64, 64}).layer(1).output == Shape{1, 32, 32, 8});
}

TEST_CASE("every mapped op family imports with the right layers", "[torchscript]") {
  const Network n = import("ops.pt", {1, 3, 32, 32}, 2);
  CHECK(count(n, LayerKind::kChannelShuffle) == 1);
  CHECK(count(n, LayerKind::kSplit) == 2);
  CHECK(count(n, LayerKind::kConcat) == 1);
  CHECK(count(n, LayerKind::kMul) == 2);
  CHECK(count(n, LayerKind::kGlobalAvgPool) == 2);
  CHECK(count(n, LayerKind::kMaxPool) == 1);
  CHECK(count(n, LayerKind::kAvgPool) == 1);
  const std::vector<std::string> k = kinds(n);
  for (const char* act : {"relu6", "swish", "sigmoid", "hswish"}) CHECK(std::count(k.begin(), k.end(), act) >= 1);
  const Layer& pool = n.layer(n.find("max_pool2d"));
  CHECK(pool.output == Shape{2, 16, 16, 16});  // ceil((32 - 3) / 2) + 1 = 16
  const Layer& avg = n.layer(n.find("avg_pool2d"));
  CHECK(avg.output == Shape{2, 9, 9, 16});  // ceil((16 + 2 - 3) / 2) + 1 = 9
  const Layer& fc = n.layers().back();
  CHECK(fc.kind == LayerKind::kDense);
  CHECK(fc.params == 16 * 5 + 5);  // the bias add after the matmul is folded in
  CHECK(fc.output == Shape{2, 1, 1, 5});
  CHECK(n.layer(n.find("dw")).is_depthwise());
}

TEST_CASE("an unsupported op is an error naming the op and the node", "[torchscript]") {
  CHECK_THROWS_AS(import("upsample.pt"), rp::UsageError);
  CHECK_THROWS_WITH(import("upsample.pt"),
                    Catch::Matches("torchscript .*upsample\\.pt: unsupported op 'aten::upsample_nearest2d' at node "
                                   "%[^\n]* = aten::upsample_nearest2d\\(.*"));
}

TEST_CASE("a dilated convolution is rejected", "[torchscript]") {
  CHECK_THROWS_WITH(import("dilated.pt"), Catch::Contains("dilation [2, 2] is not supported"));
}

TEST_CASE("bad inputs give one clear line", "[torchscript]") {
  TorchScriptOptions o;
  o.input_shape = {1, 3, 32, 32};
  CHECK_THROWS_WITH(import_torchscript(RP_TS_MODEL_DIR "/no-such-model.pt", o), Catch::EndsWith("cannot open file"));
  CHECK_THROWS_WITH(import_torchscript(RP_SOURCE_DIR "/tests/data/b0-blocks.yaml", o),
                    Catch::Contains("b0-blocks.yaml: not a TorchScript model"));
  CHECK_THROWS_WITH(import("tiny.pt", {1, 4, 32, 32}),
                    Catch::Contains("input shape 1x4x32x32 does not fit the model") &&
                        Catch::Contains("to have 3 channels, but got 4"));
  for (const auto& shape : std::vector<std::vector<int64_t>>{{1, 4, 32, 32}, {1, 3, 32, 32}}) {
    try {
      import(shape[1] == 4 ? "tiny.pt" : "upsample.pt", shape);
    } catch (const rp::UsageError& e) {
      CHECK(std::string(e.what()).find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("layer shapes at batch N are the batch-1 shapes with N", "[torchscript][batch]") {
  // The model never runs on a successful import; the IR propagates shapes at the asked batch. Both
  // ways of asking (--input-shape N,... and the batch override) give the batch-1 layers with N in place of 1.
  for (const char* file : {"tiny.pt", "tiny_scripted.pt", "ops.pt"}) {
    CAPTURE(file);
    const Network one = import(file);
    for (const Network& big : {import(file, {37, 3, 32, 32}), import(file, {1, 3, 32, 32}, 37)}) {
      REQUIRE(big.layers().size() == one.layers().size());
      CHECK(big.batch() == 37);
      for (size_t i = 0; i < one.layers().size(); ++i) {
        const Shape a = one.layer(static_cast<int>(i)).output, b = big.layer(static_cast<int>(i)).output;
        CAPTURE(one.layer(static_cast<int>(i)).name);
        CHECK(a.n == 1);
        CHECK(b == Shape{37, a.h, a.w, a.c});
      }
      CHECK(big.macs() == 37 * one.macs());
    }
  }
}

TEST_CASE("a batch of 1,000,000 costs no more than a batch of 1", "[torchscript][batch]") {
  // 1,000,000 x 3 x 32 x 32 floats would be a 12.3 GB input tensor: the model never runs on a successful import.
  const auto start = std::chrono::steady_clock::now();
  const Network n = import("tiny.pt", {1000000, 3, 32, 32});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(n.layer(1).output == Shape{1000000, 16, 16, 8});
  CHECK(n.macs() == int64_t{1000000} * (55296 + 80));  // the per-image MACs of the first test case
  CHECK(seconds < 10);                                 // about 0.1 s; a 12.3 GB forward() takes minutes
}

TEST_CASE("a forward() that never returns is one error line within the time limit", "[torchscript][hang]") {
  // forever.pt's dilated convolution fails the import, so the model runs (to explain the failure) and never returns.
  TorchScriptOptions o;
  o.input_shape = {1, 3, 32, 32};
  o.forward_timeout_s = 2;
  const auto start = std::chrono::steady_clock::now();
  std::string error = "(no error)";
  try {
    import_torchscript(model_path("forever.pt"), o);
  } catch (const rp::UsageError& e) {
    error = e.what();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK_THAT(error, Catch::Matches("torchscript .*forever\\.pt: forward\\(\\) did not return within 2 s on a zero "
                                   "input of 1x3x32x32 \\(the time limit of the shape check\\)"));
  CHECK(seconds >= 2);
  CHECK(seconds < 10);  // the limit, plus loading the model, plus killing and reaping the child
}

TEST_CASE("a BERT encoder written with torch.nn imports with its parameters and MACs", "[torchscript][bert]") {
  // bert.pt (scripts/export_test_models.py): vocab V = 1000, sequence S = 16, width D = 64, H = 4 heads (Dh = 16),
  // feed-forward F = 256, L = 2 post-LN layers, a tanh pooler on token 0. Imported from token ids [B, S], B = 2.
  // Params by hand: embedding V D = 64,000; position S D = 1,024; embedding layer norm 2 D = 128; per layer:
  // q, k, v, o 4 (D D + D) = 16,640, feed-forward (D F + F) + (F D + D) = 33,088, two layer norms 4 D = 256, so
  // 49,984; pooler D D + D = 4,160. Total 64,000 + 1,024 + 128 + 2 x 49,984 + 4,160 = 169,280, which is also
  // sum(p.numel()) of the module (printed by torch when the test models are exported, checked by hand).
  // MACs per sequence: per layer q, k, v, o 4 S D D = 262,144; scores Q K^T H S S Dh = 16,384 and A V the same;
  // feed-forward 2 S D F = 524,288; so 819,200 per layer; pooler D D = 4,096 on one token; embedding gathers and
  // layer norms have none: 2 x 819,200 + 4,096 = 1,642,496.
  const Network n = import("bert.pt", {2, 16});
  CHECK(n.params() == 169280);
  CHECK(n.macs() == 2 * 1642496);
  CHECK(n.layer(0).output == Shape{2, 1, 16, 1});
  CHECK(count(n, LayerKind::kEmbedding) == 1);
  CHECK(count(n, LayerKind::kLayerNorm) == 5);
  CHECK(count(n, LayerKind::kSoftmax) == 2);
  CHECK(count(n, LayerKind::kMatMul) == 4);  // scores and A V per layer; the q scale folded into the first
  const std::vector<std::string> k = kinds(n);
  CHECK(std::count(k.begin(), k.end(), "gelu") == 2);
  CHECK(std::count(k.begin(), k.end(), "tanh") == 1);
  CHECK(n.layers().back().output == Shape{2, 1, 1, 64});
  // k.transpose(-2, -1) is read transposed by the score matmul, never moved; heads move twice per layer.
  int transposed = 0, permutes = 0;
  for (const Layer& l : n.layers()) {
    transposed += l.kind == LayerKind::kMatMul && l.trans_b;
    permutes += l.kind == LayerKind::kPermute;
  }
  CHECK(transposed == 2);    // the two score matmuls
  CHECK(permutes == 2 * 4);  // q, k, v to heads (the transpose(1, 2) before a matmul) and the heads back
}

TEST_CASE("Swin V2-style cosine attention imports with its constant branch folded at load", "[torchscript][swin]") {
  // cosine_attn.pt (scripts/export_test_models.py): 8 x 8 patches of a 32 x 32 image, 16 tokens of width D = 16,
  // H = 2 heads of Dh = 8. Params by hand: patch conv 3 x 8 x 8 x 16 + 16 = 3,088; qkv 16 x 48 + 48 = 816 (the
  // zeroed middle third of the bias is still a parameter); proj 16 x 16 + 16 = 272; logit scale 2; cpb MLP 2 x 32 +
  // 32 + 32 x 2 = 160; the bias table 49 x 2 = 98. Total 4,436, which is also sum(p.numel()) of the module. The
  // MLP, its gather, sigmoid and scale and the table's gather are evaluated at load into one constant (1, 2, 16, 16)
  // = 512 elements holding 160 + 98 = 258 of those parameters; the clamped, exponentiated logit scale is a constant
  // of its 2. MACs: conv 16 outputs x 16 x 192 = 49,152; qkv 16 x 16 x 48 = 12,288; each normalize's sum of squares
  // H x 16 x Dh = 256 (q and k: 512); scores and A V H x 16 x 16 x Dh = 4,096 each; proj 16 x 16 x 16 = 4,096:
  // 74,240 (the MLP costs nothing per image: it ran once at load).
  const Network n = import("cosine_attn.pt");
  CHECK(n.params() == 4436);
  CHECK(n.macs() == 74240);
  const std::vector<std::string> k = kinds(n);
  CHECK(std::count(k.begin(), k.end(), "sqrt") == 2);  // the 2-norms of q and k
  CHECK(std::count(k.begin(), k.end(), "relu") == 2);  // their clamp_min at eps
  CHECK(count(n, LayerKind::kDense) == 2);             // qkv and proj: no MLP layer left
  CHECK(count(n, LayerKind::kMatMul) == 4);            // two sums of squares, scores, A V
  int64_t bias = -1, scale = -1, ones = 0;
  for (const Layer& l : n.layers()) {
    if (l.kind != LayerKind::kConstant) continue;
    if (l.output == Shape{1, 2, 16, 16}) bias = l.params;
    if (l.output == Shape{1, 2, 1, 1}) scale = l.params;
    if (l.output == Shape{1, 1, 8, 1}) ones += 1 + l.params;  // a column of ones learns nothing
  }
  CHECK(bias == 258);
  CHECK(scale == 2);
  CHECK(ones == 2);
}
