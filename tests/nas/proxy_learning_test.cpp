// The proxies LEARN (issue 24, item 4): each proxy block type (MBConv with a depthwise conv, MBConv with SE, fused
// MBConv, and the space-to-depth stem) reaches a stated validation accuracy on a small generated data set that is
// easy to learn, after a stated number of training images, with one thread. Chance is 0.25, so a proxy whose
// gradients do not reach its blocks (or whose blocks are wired wrongly) fails these; the determinism tests in
// trainer_test.cpp could not catch that.
#include <catch2/catch.hpp>

#include <random>

#include "nas/space/proxy_network.h"
#include "nas/train/trainer.h"
#include "traces/data/image_sets.h"

using namespace rp::nas;

namespace {

constexpr int kSide = 28, kClasses = 4;

// `count` 28 x 28 grayscale images; image i has class i % 4 = which quadrant (0 top-left, 1 top-right, 2 bottom-left,
// 3 bottom-right) is bright: every pixel is uniform noise in 0..99, the bright quadrant's 14 x 14 pixels get +120
// (so 120..219). The classes are separable by the mean of each quadrant alone.
rp::traces::ImageSet quadrants(int64_t count, uint64_t seed) {
  rp::traces::ImageSet s;
  s.count = count;
  s.rows = s.cols = kSide;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> noise(0, 99);
  for (int64_t i = 0; i < count; ++i) {
    const int q = static_cast<int>(i % kClasses);
    s.labels.push_back(static_cast<uint8_t>(q));
    for (int y = 0; y < kSide; ++y) {
      for (int x = 0; x < kSide; ++x) {
        const bool bright = (y >= kSide / 2) == (q >= 2) && (x >= kSide / 2) == (q % 2 == 1);
        s.pixels.push_back(static_cast<uint8_t>(noise(rng) + (bright ? 120 : 0)));
      }
    }
  }
  return s;
}

// 400 training images and a 200-image validation split after them (FashionMnist's layout); the test set unused.
const rp::traces::FashionMnist& data() {
  static const rp::traces::FashionMnist d = [] {
    rp::traces::FashionMnist x;
    x.train = quadrants(600, 11);
    x.test = quadrants(4, 12);
    x.validation = 200;
    rp::traces::set_normalization(x, "quadrants");
    return x;
  }();
  return d;
}

// Validation accuracy of `arch`'s proxy (4 classes) after `epochs` x 400 images, batch 32, one thread.
double learned(const std::string& arch, int epochs) {
  const SearchSpace& s = search_space("efficientnet-x");
  ProxyOptions p;
  p.classes = kClasses;
  TrainOptions o;
  o.train_images = 400;
  o.epochs = epochs;
  o.batch = 32;
  o.val_images = 200;
  o.bn_recalibration_images = 400;
  o.threads = 1;
  o.seed = 1;
  return train_proxy(proxy_network(s, s.parse(arch), p), data(), o).val_accuracy;
}

// Seven stages of one block type each: kernel 3, expansion, SE ratio, width 1, base depth, conv kind, activation.
std::string all_stages(const std::string& s2d, const std::string& block) {
  std::string a = s2d;
  for (int i = 0; i < 7; ++i) a += "," + block;
  return a;
}

}  // namespace

TEST_CASE("the generated quadrant data: labels cycle 0..3 and the bright quadrant is the labelled one", "[learn]") {
  const rp::traces::ImageSet& t = data().train;
  REQUIRE(t.count == 600);
  CHECK(data().train_pool() == 400);
  CHECK(t.labels[0] == 0);
  CHECK(t.labels[5] == 1);
  // Image 3 (class 3, bottom-right bright): pixel (27, 27) >= 120, pixel (0, 0) <= 99.
  const size_t img3 = 3 * kSide * kSide;
  CHECK(t.pixels[img3 + 27 * kSide + 27] >= 120);
  CHECK(t.pixels[img3 + 0] <= 99);
}

TEST_CASE("an MBConv proxy (depthwise, no SE) learns: >= 0.9 after 1200 images (chance 0.25)", "[learn]") {
  const double a = learned(all_stages("s2d0", "k3_e6_se0_w1_l+0_dw_relu"), 3);
  INFO("validation accuracy " << a);
  CHECK(a >= 0.9);
}

TEST_CASE("an MBConv proxy with squeeze-and-excitation learns: >= 0.9 after 1200 images", "[learn]") {
  const double a = learned(all_stages("s2d0", "k3_e6_se0.25_w1_l+0_dw_swish"), 3);
  INFO("validation accuracy " << a);
  CHECK(a >= 0.9);
}

TEST_CASE("a fused-MBConv proxy learns: >= 0.9 after 1200 images", "[learn]") {
  const double a = learned(all_stages("s2d0", "k3_e4_se0_w1_l+0_fused_relu"), 3);
  INFO("validation accuracy " << a);
  CHECK(a >= 0.9);
}

TEST_CASE("a space-to-depth proxy learns: >= 0.9 after 1200 images", "[learn]") {
  const double a = learned(all_stages("s2d1", "k3_e6_se0_w1_l+0_dw_relu"), 3);
  INFO("validation accuracy " << a);
  CHECK(a >= 0.9);
}
