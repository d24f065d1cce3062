#pragma once
// accuracy: {method: proxy}: real proxy training of the scaled network on Fashion-MNIST with the NAS trainer
// (nas/train/trainer.h, LibTorch inside rp_nas). The proxy is the scaled spec at the proxy width (x the scaled
// width), channels rounded to integers, a stride-1 stem, 10 classes and one input channel (as
// nas/space/proxy_network.h); the resolution multiplier is applied by resizing the 28 x 28 images (bilinear) to
// round(28 r). Deterministic for a seed. Returns the validation accuracy in percent.
#include <map>
#include <memory>

#include "experiments/kinds/lacs/lacs_experiment.h"
#include "lacs/scaling.h"
#include "nas/train/fashion_mnist.h"

namespace rp::lacs {

class ProxyAccuracy {
 public:
  ProxyAccuracy(std::shared_ptr<const nas::FashionMnist> data, AccuracySpec spec);
  // `scaled`: the scaled spec; `resolution_ratio`: its resolution over the base's.
  double operator()(const traces::MbconvSpec& scaled, double resolution_ratio);

 private:
  const nas::FashionMnist& at(int side);
  std::shared_ptr<const nas::FashionMnist> data_;
  AccuracySpec spec_;
  std::map<int, nas::FashionMnist> resized_;
};

// Bilinear resize of every image to side x side (exposed for tests).
nas::ImageSet resize_images(const nas::ImageSet& in, int side);

}  // namespace rp::lacs
