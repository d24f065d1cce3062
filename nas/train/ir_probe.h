#pragma once
// Test hooks over the LibTorch module that nas/train/ir_module.h builds for a network IR, without LibTorch types
// (defined in ir_module.cpp): one forward pass on a given input, and the module's trainable parameter count.
#include <cstdint>
#include <vector>

#include "traces/network/network.h"

namespace rp::nas {

// Runs `ir` in eval mode (batch norm with fresh statistics: mean 0, variance 1) on `input`, the IR input's shape
// channels first (N x C x H x W, row-major), weights from torch::manual_seed(seed). Returns the last layer's output
// flattened, channels first. std::invalid_argument when `input` has the wrong size.
std::vector<float> forward_ir(const traces::Network& ir, const std::vector<float>& input, uint64_t seed = 1);

// Trainable parameters (weights, biases, batch-norm gamma and beta) of the module built for `ir`.
int64_t module_params(const traces::Network& ir);

}  // namespace rp::nas
