#include "lacs/proxy_accuracy.h"

#include <algorithm>
#include <cmath>

#include "nas/space/proxy_network.h"
#include "nas/train/trainer.h"
#include "traces/zoo/mbconv_family.h"

namespace rp::lacs {

traces::ImageSet resize_images(const traces::ImageSet& in, int side) {
  if (side == in.rows && side == in.cols) return in;
  traces::ImageSet out;
  out.count = in.count;
  out.rows = out.cols = side;
  out.labels = in.labels;
  out.mean = in.mean;  // the normalization of the training pool at its own side (resizing keeps it nearly)
  out.std = in.std;
  out.channels = in.channels;
  const int64_t planes = in.count * in.channels;  // each channel plane resized alone
  out.pixels.resize(static_cast<size_t>(planes) * side * side);
  const double sy = static_cast<double>(in.rows) / side, sx = static_cast<double>(in.cols) / side;
  for (int64_t k = 0; k < planes; ++k) {
    const uint8_t* src = in.pixels.data() + static_cast<size_t>(k) * in.rows * in.cols;
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(k) * side * side;
    for (int y = 0; y < side; ++y) {
      const double fy = std::clamp((y + 0.5) * sy - 0.5, 0.0, in.rows - 1.0);
      const int y0 = static_cast<int>(fy), y1 = std::min(y0 + 1, in.rows - 1);
      for (int x = 0; x < side; ++x) {
        const double fx = std::clamp((x + 0.5) * sx - 0.5, 0.0, in.cols - 1.0);
        const int x0 = static_cast<int>(fx), x1 = std::min(x0 + 1, in.cols - 1);
        const double wy = fy - y0, wx = fx - x0;
        const double v = (1 - wy) * ((1 - wx) * src[y0 * in.cols + x0] + wx * src[y0 * in.cols + x1]) +
                         wy * ((1 - wx) * src[y1 * in.cols + x0] + wx * src[y1 * in.cols + x1]);
        dst[y * side + x] = static_cast<uint8_t>(std::lround(v));
      }
    }
  }
  return out;
}

ProxyAccuracy::ProxyAccuracy(const traces::FashionMnist& data, ProxyOptions options)
    : data_(data), options_(std::move(options)) {}

const traces::FashionMnist& ProxyAccuracy::at(int side) {
  if (side == data_.train.rows) return data_;
  auto it = resized_.find(side);
  if (it == resized_.end()) {
    traces::FashionMnist r;
    r.validation = data_.validation;
    r.train = resize_images(data_.train, side);
    r.test = resize_images(data_.test, side);
    it = resized_.emplace(side, std::move(r)).first;
  }
  return it->second;
}

Accuracy ProxyAccuracy::operator()(const traces::MbconvSpec& scaled, double resolution_ratio) {
  traces::FamilyParams p = scaled.params;
  p.width = scaled.params.width * options_.width;
  p.depth_divisor = 1;
  p.stem_stride = 1;
  p.num_classes = 1 + *std::max_element(data_.train.labels.begin(), data_.train.labels.end());
  const double exact = std::round(data_.train.rows * resolution_ratio);
  Accuracy a;
  if (!(exact >= kMinProxySide)) {
    a.reason = "proxy input side " + std::to_string(static_cast<long long>(exact)) + " below " +
               std::to_string(kMinProxySide) + " (" + std::to_string(data_.train.rows) + " x the resolution ratio)";
    return a;
  }
  const int side = static_cast<int>(exact);
  p.resolution = side;
  const traces::Network proxy = nas::with_input_channels(
      traces::build_mbconv_family("lacs-proxy", scaled.blocks, p, 1, traces::DType::kF32), data_.train.channels);
  nas::TrainOptions t;
  t.train_images = options_.train_images;
  t.epochs = options_.epochs;
  t.seed = options_.seed;
  t.stop = options_.stop;
  t.threads = options_.threads;
  t.cuda = options_.cuda;
  t.val_images = std::min<int64_t>(t.val_images, data_.validation);  // a small data set's whole validation split
  a.top1 = 100.0 * nas::train_proxy(proxy, at(side), t).val_accuracy;
  return a;
}

}  // namespace rp::lacs
