#include "nas/train/torch_data.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace rp::nas {

torch::Tensor images(const traces::ImageSet& set, const std::vector<int64_t>& index, size_t begin, size_t end,
                     bool channels_last) {
  const int64_t n = static_cast<int64_t>(end - begin);
  const size_t c = static_cast<size_t>(set.channels);
  if (set.mean.size() != c || set.std.size() != c) {
    throw std::logic_error("image set without its per-channel normalization (traces::set_normalization)");
  }
  torch::Tensor t = torch::empty({n, set.channels, set.rows, set.cols}, torch::kFloat32);
  float* p = t.data_ptr<float>();
  const size_t px = static_cast<size_t>(set.rows) * set.cols;
  for (size_t i = begin; i < end; ++i) {
    const uint8_t* src = set.pixels.data() + static_cast<size_t>(index[i]) * px * c;
    for (size_t ch = 0; ch < c; ++ch) {
      for (size_t k = 0; k < px; ++k) *p++ = (src[ch * px + k] / 255.0f - set.mean[ch]) / set.std[ch];
    }
  }
  return channels_last ? t.contiguous(torch::MemoryFormat::ChannelsLast) : t;
}

torch::Tensor labels(const traces::ImageSet& set, const std::vector<int64_t>& index, size_t begin, size_t end) {
  torch::Tensor t = torch::empty({static_cast<int64_t>(end - begin)}, torch::kInt64);
  int64_t* p = t.data_ptr<int64_t>();
  for (size_t i = begin; i < end; ++i) *p++ = set.labels[static_cast<size_t>(index[i])];
  return t;
}

double accuracy(const Forward& forward, const traces::ImageSet& set, int64_t first, int64_t count, bool channels_last,
                const StopCheck& stop) {
  torch::NoGradGuard no_grad;
  std::vector<int64_t> index(static_cast<size_t>(count));
  std::iota(index.begin(), index.end(), first);
  int64_t correct = 0;
  for (size_t b = 0; b < index.size(); b += 500) {
    const size_t e = std::min(index.size(), b + 500);
    poll(stop);
    const torch::Tensor pred = forward(images(set, index, b, e, channels_last)).argmax(1);
    correct += pred.eq(labels(set, index, b, e)).sum().item<int64_t>();
  }
  return static_cast<double>(correct) / static_cast<double>(count);
}

void recalibrate_bn(const std::vector<torch::nn::BatchNorm2d>& bns, const Forward& forward, const traces::ImageSet& set,
                    const std::vector<int64_t>& order, int64_t count, int batch, bool channels_last,
                    const StopCheck& stop) {
  torch::NoGradGuard no_grad;
  for (auto bn : bns) {  // a holder copy: the module is shared
    bn->reset_running_stats();
    bn->options.momentum(c10::nullopt);  // cumulative average
  }
  const size_t n = static_cast<size_t>(std::min<int64_t>(count, static_cast<int64_t>(order.size())));
  for (size_t b = 0; b + 1 < n; b += static_cast<size_t>(batch)) {
    poll(stop);
    forward(images(set, order, b, std::min(n, b + static_cast<size_t>(batch)), channels_last));
  }
}

}  // namespace rp::nas
