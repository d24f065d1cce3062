#pragma once
// TorchScript model import: a scripted or traced PyTorch model (.pt) becomes a network IR (NHWC) that the
// simulator runs like a zoo model. The module is run once on zeros of the input shape at batch 1 (to check that it
// fits and learn its output sizes), in a child process with a time and memory limit, frozen in eval mode, and its
// inlined forward graph is mapped op by op to IR layers; shapes are propagated by the IR itself at the asked
// batch, and must equal the batch-1 output sizes with the batch in the first dimension. Supported ops and
// limitations: docs/torchscript.md.
#include <cstdint>
#include <string>
#include <vector>

#include "traces/network/network.h"

namespace rp::traces {

// The documented time limit (docs/torchscript.md) on a model's forward() at batch 1: generous for any model the
// IR can express (torchvision's ResNet-50 takes about 0.1 s at 224 x 224), short enough that a forward() that never
// returns ends in one error line within a minute. Its memory is limited to 8 GiB beyond the importing process.
constexpr double kDefaultForwardTimeout = 60;

struct TorchScriptOptions {
  std::vector<int64_t> input_shape;  // N, C, H, W of the model's one input
  int64_t batch = 0;                 // > 0: the network's batch, overriding N (sizes the model computes follow it)
  DType dtype = DType::kF32;
  double forward_timeout_s = kDefaultForwardTimeout;  // wall-time limit on the batch-1 forward() (shape check)
};

// Imports the model in `path`; the network is named after the file's stem ("resnet50" for resnet50.pt).
// Throws UsageError (one line, naming the file) when the file is missing or not a TorchScript model, the input
// shape does not fit the model, its forward() does not return within forward_timeout_s or dies, or the graph uses
// an op the IR cannot express (the message names the op and the node). Throws std::runtime_error if the imported
// network's output shape differs from the model's own at batch 1 scaled to the batch (an importer bug, never
// expected).
Network import_torchscript(const std::string& path, const TorchScriptOptions& options);

// "1,3,224,224" -> {1, 3, 224, 224}. Throws UsageError unless it is four positive integers.
std::vector<int64_t> parse_input_shape(const std::string& text);

}  // namespace rp::traces
