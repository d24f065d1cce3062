#pragma once
// Real proxy training with LibTorch on Fashion-MNIST: a network IR (nas/space/proxy_network.h) becomes a LibTorch
// module (nas/train/ir_module.*), trained with Adam on the first `train_images` of the training pool and scored on
// the validation split. Deterministic for a seed and thread count: the weights come from torch::manual_seed(seed),
// the batch order from a std::mt19937_64(seed) shuffle, and the intra-op thread count is set to `threads`.
// After training, batch-norm statistics are recalibrated on training images (SPOS), which matters for short runs.
// No LibTorch types in this header.
#include <cstdint>
#include <string>
#include <vector>

#include "simulator/error.h"
#include "traces/data/fashion_mnist.h"
#include "traces/network/network.h"

namespace rp::nas {

struct TrainOptions {
  int64_t train_images = 10000;  // from the 50K training pool (the last 10K are validation)
  int epochs = 1;
  int threads = 1;  // intra-op threads (two were not faster on a loaded 2-core machine)
  uint64_t seed = 1;
  int batch = 64;
  double lr = 2e-3;                        // Adam
  int64_t val_images = 2000;               // scored: the first of the 10K validation images
  bool test = false;                       // also score the 10K test images (final reports only)
  bool channels_last = false;              // not faster here for these small nets (measured 299 vs 313 images/s)
  int64_t bn_recalibration_images = 2000;  // recompute batch-norm statistics on this many training images (0: off)
  StopCheck stop;     // polled before every batch (throws rp::Interrupted to stop a run within a batch)
  bool cuda = false;  // device: cuda (the module and every batch moved there); needs a CUDA-enabled LibTorch
};

// The error of `device: cuda` on a LibTorch without CUDA (Debian's is CPU-only), for a kind to raise before any
// work: "device: cuda requested but this LibTorch build has no CUDA (torch::cuda::is_available() is false)".
// Does nothing for the CPU or when CUDA is available. train_proxy checks the same.
void check_device(bool cuda);

struct TrainResult {
  double val_accuracy = 0;    // fraction in [0, 1]
  double test_accuracy = -1;  // -1 unless TrainOptions::test
  double train_seconds = 0;   // training only (no scoring)
  double images_per_s = 0;    // training images per second
  int64_t params = 0;         // trainable parameters of the LibTorch module
};

// Throws UsageError on bad options (train_images out of 1..50000, epochs < 1, ...).
TrainResult train_proxy(const traces::Network& ir, const traces::FashionMnist& data, const TrainOptions& o);

// The LibTorch module built for `ir`, walked op by op (for tests: its block structure against the IR's).
struct ModuleOp {
  std::string group;  // the IR layer's group ("stem", "blocks.3", "head")
  std::string kind;   // "conv", "batch_norm", "dense", "max_pool", or the IR kind of a functional op
  std::string act;    // activations: relu, swish, sigmoid, ...
  int kernel = 0, stride = 0;
  bool depthwise = false;
  int64_t channels = 0;  // conv output channels
};
std::vector<ModuleOp> describe_module(const traces::Network& ir);

}  // namespace rp::nas
