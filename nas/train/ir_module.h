#pragma once
// Internal (includes LibTorch; only .cpp files that train include it: nas/train, hurricane/supernet): a LibTorch
// module that executes a network IR (traces/network) layer by layer, one torch module per conv / batch-norm / dense
// layer, with TF-style SAME padding reproduced exactly (asymmetric where TF pads asymmetrically). Functional layers
// (activation, add, SE multiply, global pool, flatten, and ShuffleNetV2's split / concat / channel shuffle) have
// no module and run in forward().
#include <torch/torch.h>

#include <vector>

#include "simulator/error.h"
#include "traces/network/network.h"

namespace rp::nas {

class IrModuleImpl : public torch::nn::Module {
 public:
  explicit IrModuleImpl(const traces::Network& ir);
  torch::Tensor forward(torch::Tensor x);  // x: N x C x H x W
  // forward() polls `stop` before each layer, so a run asked to stop leaves even a long pass (scoring hundreds of
  // images at once) within one layer's time; the results do not depend on it. Empty (the default): never stops.
  void set_stop(StopCheck stop) { stop_ = std::move(stop); }

  struct Op {
    traces::LayerKind kind;
    std::string name, group;
    std::vector<int> inputs;
    traces::Act act = traces::Act::kReLU;
    std::vector<int64_t> pad;  // {left, right, top, bottom} applied before the op, empty when none
    int parts = 1, part = 0;   // split: channel slice `part` of `parts` equal slices
    int groups = 1;            // channel shuffle
    torch::nn::Conv2d conv{nullptr};
    torch::nn::BatchNorm2d bn{nullptr};
    torch::nn::Linear linear{nullptr};
    torch::nn::MaxPool2d pool{nullptr};
  };
  const std::vector<Op>& ops() const { return ops_; }
  std::vector<Op>& ops() { return ops_; }

 private:
  std::vector<Op> ops_;
  StopCheck stop_;
};
TORCH_MODULE(IrModule);

}  // namespace rp::nas
