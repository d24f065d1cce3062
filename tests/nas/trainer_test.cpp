// Proxy training on Fashion-MNIST (LibTorch, one thread) and the proxy's structure against the ImageNet network.
#include <catch2/catch.hpp>

#include <map>

#include "nas/space/arch_network.h"
#include "nas/space/proxy_network.h"
#include "nas/train/trainer.h"
#include "simulator/error.h"
#include "traces/data/fashion_mnist.h"

using namespace rp::nas;

namespace {

const rp::traces::FashionMnist& data() {
  static const rp::traces::FashionMnist d = rp::traces::FashionMnist::load();
  return d;
}

// One token per op of a block: conv kernel and kind, activations, SE multiply, skip add, pooling.
using Signature = std::map<std::string, std::vector<std::string>>;

std::string conv_token(int kernel, int stride, bool depthwise) {
  return "conv k" + std::to_string(kernel) + " s" + std::to_string(stride) + (depthwise ? " dw" : "");
}

// Walks the network IR (the ImageNet-scale candidate).
Signature ir_blocks(const rp::traces::Network& n) {
  Signature s;
  for (const auto& l : n.layers()) {
    if (l.group.rfind("blocks.", 0) != 0) continue;
    std::string t = rp::traces::kind_name(l.kind);
    if (l.kind == rp::traces::LayerKind::kConv2D) t = conv_token(l.conv.kernel_h, l.conv.stride_h, l.is_depthwise());
    if (l.kind == rp::traces::LayerKind::kActivation) t += " " + rp::traces::act_name(l.act);
    s[l.group].push_back(t);
  }
  return s;
}

// Walks the LibTorch modules built for the proxy.
Signature module_blocks(const rp::traces::Network& proxy) {
  Signature s;
  for (const auto& m : describe_module(proxy)) {
    if (m.group.rfind("blocks.", 0) != 0) continue;
    std::string t = m.kind;
    if (m.kind == "conv") t = conv_token(m.kernel, m.stride, m.depthwise);
    if (m.kind == "activation") t += " " + m.act;
    s[m.group].push_back(t);
  }
  return s;
}

}  // namespace

TEST_CASE("a missing Fashion-MNIST install names the package in one line", "[trainer]") {
  try {
    rp::traces::FashionMnist::load("/nonexistent/fashion-mnist");
    FAIL("no error");
  } catch (const rp::UsageError& e) {
    const std::string msg = e.what();
    CHECK(msg.find("dataset-fashion-mnist") != std::string::npos);
    CHECK(msg.find('\n') == std::string::npos);
  }
}

TEST_CASE("Fashion-MNIST loads: 60K + 10K images of 28 x 28, labels 0..9", "[trainer]") {
  const rp::traces::FashionMnist& d = data();
  CHECK(d.train.count == 60000);
  CHECK(d.test.count == 10000);
  CHECK(d.train.rows == 28);
  CHECK(d.train_pool() == 50000);
  // The first training image of Fashion-MNIST is an ankle boot (class 9), the first test image too.
  CHECK(d.train.labels[0] == 9);
  CHECK(d.test.labels[0] == 9);
}

TEST_CASE("a fixed small CNN reaches 80% validation accuracy after one epoch on 10K images", "[trainer]") {
  TrainOptions o;
  o.train_images = 10000;
  const TrainResult r = train_proxy(small_cnn(), data(), o);
  // conv 3x3x1x16 + 16 bias-free... params: conv1 144, bn 32, conv2 4608, bn 64, dense 7*7*32*10 + 10 = 15690.
  CHECK(r.params == 144 + 32 + 4608 + 64 + 15690);
  INFO("validation accuracy " << r.val_accuracy << ", " << r.images_per_s << " images/s");
  CHECK(r.val_accuracy >= 0.80);
}

TEST_CASE("training is deterministic for a seed and thread count", "[trainer]") {
  TrainOptions o;
  o.train_images = 2000;
  o.seed = 3;
  const double a = train_proxy(small_cnn(), data(), o).val_accuracy;
  const double b = train_proxy(small_cnn(), data(), o).val_accuracy;
  CHECK(a == b);
  // An MBConv candidate (X-B0's proxy) on a few hundred images.
  const SearchSpace& s = search_space("efficientnet-x");
  const rp::traces::Network proxy = proxy_network(s, base_choices(s));
  o.train_images = 300;
  o.bn_recalibration_images = 300;
  CHECK(train_proxy(proxy, data(), o).val_accuracy == train_proxy(proxy, data(), o).val_accuracy);
}

TEST_CASE("training with threads: 2 is deterministic too (for a seed and that thread count)", "[trainer]") {
  // Intra-op parallelism splits each reduction by the thread count; with the count fixed the split and the order of
  // the float additions are fixed, so two runs agree exactly (another count may not: docs/nas.md "Threads").
  TrainOptions o;
  o.train_images = 1000;
  o.val_images = 500;
  o.bn_recalibration_images = 500;
  o.seed = 5;
  o.threads = 2;
  const TrainResult a = train_proxy(small_cnn(), data(), o);
  const TrainResult b = train_proxy(small_cnn(), data(), o);
  CHECK(a.val_accuracy == b.val_accuracy);
  CHECK(a.val_accuracy > 0.5);  // it trained (chance is 0.1)
  o.threads = 0;
  CHECK_THROWS_AS(train_proxy(small_cnn(), data(), o), rp::UsageError);
}

TEST_CASE("a candidate's proxy and its ImageNet-scale network have the same block structure", "[trainer]") {
  const SearchSpace& s = search_space("efficientnet-x");
  // X-B0 (space-to-depth, fused and depthwise, both activations) and one with other kernels/SE/depths.
  for (const std::string arch :
       {"s2d1,k3_e1_se0.25_w1_l+0_dw_relu,k3_e6_se0.25_w1_l+0_fused_swish,k5_e6_se0.25_w1_l+0_fused_swish,"
        "k3_e6_se0.25_w1_l+0_dw_relu,k5_e6_se0.25_w1_l+0_dw_relu,k5_e6_se0.25_w1_l+0_dw_relu,"
        "k3_e6_se0.25_w1_l+0_dw_relu",
        "s2d0,k5_e4_se0_w1.25_l+1_fused_swish,k3_e1_se0.25_w0.75_l-1_dw_relu,k5_e6_se0_w1_l+1_dw_swish,"
        "k3_e4_se0.25_w1_l+0_fused_relu,k5_e1_se0_w1.25_l-1_dw_swish,k3_e6_se0.25_w0.75_l+1_fused_relu,"
        "k5_e4_se0_w1_l+0_dw_relu"}) {
    const Choices c = s.parse(arch);
    const Signature big = ir_blocks(arch_network(s, c, 224, 1, rp::traces::DType::kBF16));
    const Signature small = module_blocks(proxy_network(s, c));
    REQUIRE(big.size() == small.size());
    for (const auto& [group, ops] : big) {
      INFO(arch << "\n" << group);
      REQUIRE(small.count(group) == 1);
      CHECK(small.at(group) == ops);
    }
  }
}

TEST_CASE("bad training options are usage errors", "[trainer]") {
  TrainOptions o;
  o.train_images = 0;
  CHECK_THROWS_AS(train_proxy(small_cnn(), data(), o), rp::UsageError);
  o.train_images = 50001;
  CHECK_THROWS_WITH(train_proxy(small_cnn(), data(), o), Catch::Contains("1..50000"));
}
