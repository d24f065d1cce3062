#include "nas/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#include "nas/train/ir_module.h"
#include "nas/train/torch_data.h"
#include "simulator/error.h"

namespace rp::nas {
namespace {

// The network's forward on `device`, logits back on the CPU (where the labels are compared).
Forward on_device(IrModule& net, const torch::Device& device) {
  return [&net, device](const torch::Tensor& x) { return net->forward(x.to(device)).to(torch::kCPU); };
}

double net_accuracy(IrModule& net, const traces::ImageSet& set, int64_t first, int64_t count, bool channels_last,
                    const StopCheck& stop, const torch::Device& device) {
  net->eval();
  return accuracy(on_device(net, device), set, first, count, channels_last, stop);
}

void recalibrate_net_bn(IrModule& net, const traces::ImageSet& set, const std::vector<int64_t>& order, int64_t count,
                        int batch, bool channels_last, const StopCheck& stop, const torch::Device& device) {
  std::vector<torch::nn::BatchNorm2d> bns;
  for (auto& op : net->ops()) {
    if (op.bn) bns.push_back(op.bn);
  }
  net->train();
  recalibrate_bn(bns, on_device(net, device), set, order, count, batch, channels_last, stop);
}

}  // namespace

void check_device(bool cuda) {
  // Compiled against any LibTorch; the CUDA branch of train_proxy is only reached where this passes.
  if (cuda && !torch::cuda::is_available()) {
    throw UsageError(
        "device: cuda requested but this LibTorch build has no CUDA (torch::cuda::is_available() is false)");
  }
}

TrainResult train_proxy(const traces::Network& ir, const traces::FashionMnist& data, const TrainOptions& o) {
  const int64_t pool = data.train_pool();
  if (o.train_images < 1 || o.train_images > pool) {
    throw UsageError("accuracy.train_images must be in 1.." + std::to_string(pool) + ", got " +
                     std::to_string(o.train_images));
  }
  if (o.epochs < 1) throw UsageError("accuracy.epochs must be >= 1, got " + std::to_string(o.epochs));
  if (o.threads < 1) throw UsageError("threads must be >= 1, got " + std::to_string(o.threads));
  if (o.batch < 1) throw UsageError("batch must be >= 1");
  if (o.val_images < 1 || o.val_images > data.validation) throw UsageError("val_images out of range");

  check_device(o.cuda);
  const torch::Device device(o.cuda ? torch::kCUDA : torch::kCPU);
  at::set_num_threads(o.threads);
  torch::manual_seed(o.seed);
  IrModule net(ir);
  net->set_stop(o.stop);  // a scoring pass of 500 images takes seconds on a small CPU: stop within a layer
  net->to(device);        // after the CPU initialisation: the same initial weights on either device
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
      poll(o.stop);
      const torch::Tensor x = images(data.train, order, b, e, o.channels_last).to(device);
      const torch::Tensor loss =
          torch::nn::functional::cross_entropy(net->forward(x), labels(data.train, order, b, e).to(device));
      opt.zero_grad();
      loss.backward();
      opt.step();
    }
  }
  r.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.images_per_s = static_cast<double>(o.train_images) * o.epochs / std::max(r.train_seconds, 1e-9);
  if (o.bn_recalibration_images > 0) {
    recalibrate_net_bn(net, data.train, order, o.bn_recalibration_images, 250, o.channels_last, o.stop, device);
  }
  r.val_accuracy = net_accuracy(net, data.train, pool, o.val_images, o.channels_last, o.stop, device);
  if (o.test) r.test_accuracy = net_accuracy(net, data.test, 0, data.test.count, o.channels_last, o.stop, device);
  return r;
}

}  // namespace rp::nas
