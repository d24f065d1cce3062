#pragma once
// TorchScript model import: a scripted or traced PyTorch model (.pt) becomes a network IR that the simulator runs
// like a zoo model. The module is frozen in eval mode and its inlined forward graph mapped op by op to IR layers
// (traces/torchscript/layout.h: how PyTorch dims map onto the IR's rank-4 NHWC storage); shapes are propagated by
// the IR itself at the asked batch, never by running the model. Only when the graph fails a check other than an
// unsupported op does the model run once, at batch 1 in a bounded child process, so that an input shape the model
// rejects is reported in the model's own words. Supported ops and limitations: docs/torchscript.md.
#include <cstdint>
#include <string>
#include <vector>

#include "traces/network/network.h"

namespace rp::traces {

// The documented time limit (docs/torchscript.md) on a model's forward() at batch 1: generous for any model the
// IR can express (torchvision's ResNet-50 takes about 0.1 s at 224 x 224), short enough that a forward() that never
// returns ends in one error line within a minute. Its memory is limited to 8 GiB beyond the importing process.
constexpr double kDefaultForwardTimeout = 60;  // the forward() only runs to explain a failed import

struct TorchScriptOptions {
  // N, C, H, W of the model's one input (an image); or B, S (token ids) or B, S, D (a sequence), from the library.
  std::vector<int64_t> input_shape;
  int64_t batch = 0;  // > 0: the network's batch, overriding N (sizes the model computes follow it)
  DType dtype = DType::kF32;
  double forward_timeout_s = kDefaultForwardTimeout;  // wall-time limit on the batch-1 forward() (failed imports)
};

// Imports the model in `path`; the network is named after the file's stem ("resnet50" for resnet50.pt).
// Throws UsageError (one line, naming the file) when the file is missing or not a TorchScript model, the graph
// uses an op the IR cannot express (the message names the op and the node; the model never runs), the input shape
// does not fit the model (the model's own message when its batch-1 forward() rejects it), or that forward() does
// not return within forward_timeout_s or dies.
Network import_torchscript(const std::string& path, const TorchScriptOptions& options);

// "1,3,224,224" -> {1, 3, 224, 224}. Throws UsageError unless it is four positive integers.
std::vector<int64_t> parse_input_shape(const std::string& text);

}  // namespace rp::traces
