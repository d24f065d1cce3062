#include "nas/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#include "nas/train/ir_module.h"
#include "simulator/error.h"

namespace rp::nas {
namespace {

// Fashion-MNIST pixel mean and standard deviation (of x / 255 over the training set).
constexpr float kMean = 0.2860f, kStd = 0.3530f;

// Images [first, first + count) of `set` in the order `index` (or in order when empty) as N x 1 x 28 x 28.
torch::Tensor images(const ImageSet& set, const std::vector<int64_t>& index, size_t begin, size_t end,
                     bool channels_last) {
  const int64_t n = static_cast<int64_t>(end - begin);
  torch::Tensor t = torch::empty({n, 1, set.rows, set.cols}, torch::kFloat32);
  float* p = t.data_ptr<float>();
  const size_t px = static_cast<size_t>(set.rows) * set.cols;
  for (size_t i = begin; i < end; ++i) {
    const uint8_t* src = set.pixels.data() + static_cast<size_t>(index[i]) * px;
    for (size_t k = 0; k < px; ++k) *p++ = (src[k] / 255.0f - kMean) / kStd;
  }
  return channels_last ? t.contiguous(torch::MemoryFormat::ChannelsLast) : t;
}

torch::Tensor labels(const ImageSet& set, const std::vector<int64_t>& index, size_t begin, size_t end) {
  torch::Tensor t = torch::empty({static_cast<int64_t>(end - begin)}, torch::kInt64);
  int64_t* p = t.data_ptr<int64_t>();
  for (size_t i = begin; i < end; ++i) *p++ = set.labels[static_cast<size_t>(index[i])];
  return t;
}

double accuracy(IrModule& net, const ImageSet& set, int64_t first, int64_t count, bool channels_last) {
  torch::NoGradGuard no_grad;
  net->eval();
  std::vector<int64_t> index(static_cast<size_t>(count));
  std::iota(index.begin(), index.end(), first);
  int64_t correct = 0;
  for (size_t b = 0; b < index.size(); b += 500) {
    const size_t e = std::min(index.size(), b + 500);
    const torch::Tensor pred = net->forward(images(set, index, b, e, channels_last)).argmax(1);
    correct += pred.eq(labels(set, index, b, e)).sum().item<int64_t>();
  }
  return static_cast<double>(correct) / static_cast<double>(count);
}

// SPOS-style batch-norm recalibration: after a short training the running statistics (momentum 0.1) still lag
// the weights, so they are recomputed as plain averages over `count` training images in train mode, no gradients.
void recalibrate_bn(IrModule& net, const ImageSet& set, const std::vector<int64_t>& order, int64_t count,
                    int batch, bool channels_last) {
  torch::NoGradGuard no_grad;
  for (auto& op : net->ops()) {
    if (!op.bn) continue;
    op.bn->reset_running_stats();
    op.bn->options.momentum(c10::nullopt);  // cumulative average
  }
  net->train();
  const size_t n = static_cast<size_t>(std::min<int64_t>(count, static_cast<int64_t>(order.size())));
  for (size_t b = 0; b + 1 < n; b += static_cast<size_t>(batch)) {
    net->forward(images(set, order, b, std::min(n, b + static_cast<size_t>(batch)), channels_last));
  }
}

}  // namespace

TrainResult train_proxy(const traces::Network& ir, const FashionMnist& data, const TrainOptions& o) {
  const int64_t pool = data.train_pool();
  if (o.train_images < 1 || o.train_images > pool) {
    throw UsageError("accuracy.train_images must be in 1.." + std::to_string(pool) + ", got " +
                     std::to_string(o.train_images));
  }
  if (o.epochs < 1) throw UsageError("accuracy.epochs must be >= 1, got " + std::to_string(o.epochs));
  if (o.threads < 1) throw UsageError("threads must be >= 1, got " + std::to_string(o.threads));
  if (o.batch < 1) throw UsageError("batch must be >= 1");
  if (o.val_images < 1 || o.val_images > FashionMnist::kValidation) throw UsageError("val_images out of range");

  at::set_num_threads(o.threads);
  torch::manual_seed(o.seed);
  IrModule net(ir);
  if (o.channels_last) {
    torch::NoGradGuard no_grad;
    for (auto& p : net->parameters()) {
      if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
    }
  }
  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(o.lr));
  TrainResult r;
  for (const auto& p : net->parameters()) r.params += p.numel();

  std::mt19937_64 rng(o.seed);
  std::vector<int64_t> order(static_cast<size_t>(o.train_images));
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    net->train();
    for (size_t b = 0; b < order.size(); b += static_cast<size_t>(o.batch)) {
      const size_t e = std::min(order.size(), b + static_cast<size_t>(o.batch));
      if (e - b < 2) continue;  // batch norm needs two samples
      const torch::Tensor x = images(data.train, order, b, e, o.channels_last);
      const torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(x), labels(data.train, order, b, e));
      opt.zero_grad();
      loss.backward();
      opt.step();
    }
  }
  r.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.images_per_s = static_cast<double>(o.train_images) * o.epochs / std::max(r.train_seconds, 1e-9);
  if (o.bn_recalibration_images > 0) {
    recalibrate_bn(net, data.train, order, o.bn_recalibration_images, 250, o.channels_last);
  }
  r.val_accuracy = accuracy(net, data.train, pool, o.val_images, o.channels_last);
  if (o.test) r.test_accuracy = accuracy(net, data.test, 0, data.test.count, o.channels_last);
  return r;
}

}  // namespace rp::nas
