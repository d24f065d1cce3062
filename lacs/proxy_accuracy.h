#pragma once
// accuracy: {method: proxy}: real proxy training of the scaled network on the run's data set (Fashion-MNIST unless
// `dataset:` names another; square images) with the NAS trainer (nas/train/trainer.h; this file is rp_lacs_train,
// the one part of lacs/ that links LibTorch). The proxy is the scaled spec at the proxy width (x the scaled width),
// channels rounded to integers, a stride-1 stem, the data's channels as input and its largest training label + 1
// classes (as nas/space/proxy_network.h); the resolution multiplier is applied by resizing the S x S images
// (bilinear, each channel) to round(S r), which must be at least kMinProxySide (else no accuracy, with the reason:
// never clamped). Validation scores min(2000, the data set's validation split) images. Deterministic for a seed. Returns the validation accuracy in percent. Training polls
// `stop` before every batch.
#include <cstdint>
#include <map>

#include "lacs/problem.h"
#include "simulator/error.h"
#include "traces/data/fashion_mnist.h"

namespace rp::lacs {

// The smallest proxy input side: traces::kMinResolution, as for the networks themselves.
constexpr int kMinProxySide = 8;

struct ProxyOptions {
  int64_t train_images = 2000;
  int epochs = 1;
  uint64_t seed = 1;
  double width = 0.25;  // the proxy's width multiplier
  StopCheck stop;
  int threads = 1;    // LibTorch intra-op threads (nas::TrainOptions::threads)
  bool cuda = false;  // device: cuda (nas::TrainOptions::cuda)
};

class ProxyAccuracy {
 public:
  // Keeps a reference to `data` (it must outlive this).
  ProxyAccuracy(const traces::FashionMnist& data, ProxyOptions options);
  // `scaled`: the scaled spec; `resolution_ratio`: its resolution over the base's.
  Accuracy operator()(const traces::MbconvSpec& scaled, double resolution_ratio);

 private:
  const traces::FashionMnist& at(int side);
  const traces::FashionMnist& data_;
  ProxyOptions options_;
  std::map<int, traces::FashionMnist> resized_;
};

// Bilinear resize of every image (each channel plane) to side x side (exposed for tests).
traces::ImageSet resize_images(const traces::ImageSet& in, int side);

}  // namespace rp::lacs
