#pragma once
// Internal (includes LibTorch; only .cpp files that train include it): Fashion-MNIST images and labels as tensors,
// validation accuracy, and SPOS batch-norm recalibration, shared by the proxy trainer (nas/train/trainer.cpp) and the
// HURRICANE supernet (hurricane/supernet/supernet.cpp).
#include <torch/torch.h>

#include <functional>
#include <vector>

#include "simulator/error.h"

#include "traces/data/fashion_mnist.h"

namespace rp::nas {

using Forward = std::function<torch::Tensor(const torch::Tensor&)>;  // N x 1 x 28 x 28 -> N x 10 logits

// Images index[begin, end) of `set`, normalised per channel by its mean and std, as N x C x rows x cols
// (std::logic_error for a set without them).
torch::Tensor images(const traces::ImageSet& set, const std::vector<int64_t>& index, size_t begin, size_t end,
                     bool channels_last = false);
// Their labels as int64.
torch::Tensor labels(const traces::ImageSet& set, const std::vector<int64_t>& index, size_t begin, size_t end);

// Fraction of images [first, first + count) of `set` that `forward` classifies correctly (batches of 500, no
// gradients). The caller puts its modules in eval mode.
// Both poll `stop` between chunks (a run asked to stop throws rp::Interrupted within a chunk).
double accuracy(const Forward& forward, const traces::ImageSet& set, int64_t first, int64_t count,
                bool channels_last = false, const StopCheck& stop = {});

// SPOS-style batch-norm recalibration: after a short training the running statistics (momentum 0.1) still lag
// the weights, so the statistics of `bns` are reset and recomputed as plain averages (momentum off) over the first
// `count` images of `order`, in batches of `batch`, in train mode, no gradients. The caller sets train mode and
// restores the momentum if it trains again.
void recalibrate_bn(const std::vector<torch::nn::BatchNorm2d>& bns, const Forward& forward, const traces::ImageSet& set,
                    const std::vector<int64_t>& order, int64_t count, int batch, bool channels_last = false,
                    const StopCheck& stop = {});

}  // namespace rp::nas
