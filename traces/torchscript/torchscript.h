#pragma once
// TorchScript model import: a scripted or traced PyTorch model (.pt) becomes a network IR (NHWC) that the
// simulator runs like a zoo model. The module is run once on zeros of the input shape (to check that it fits),
// frozen in eval mode, and its inlined forward graph is mapped op by op to IR layers; shapes are propagated by
// the IR itself. Supported ops and limitations: docs/torchscript.md.
#include <cstdint>
#include <string>
#include <vector>

#include "traces/network/network.h"

namespace rp::traces {

struct TorchScriptOptions {
  std::vector<int64_t> input_shape;  // N, C, H, W of the model's one input
  int64_t batch = 0;                 // > 0: the network's batch, overriding N (sizes the model computes follow it)
  DType dtype = DType::kF32;
};

// Imports the model in `path`; the network is named after the file's stem ("resnet50" for resnet50.pt).
// Throws UsageError (one line, naming the file) when the file is missing or not a TorchScript model, the input
// shape does not fit the model, or the graph uses an op the IR cannot express (the message names the op and the
// node). Throws std::runtime_error if the imported network's output shape differs from the model's own (an
// importer bug, never expected).
Network import_torchscript(const std::string& path, const TorchScriptOptions& options);

// "1,3,224,224" -> {1, 3, 224, 224}. Throws UsageError unless it is four positive integers.
std::vector<int64_t> parse_input_shape(const std::string& text);

}  // namespace rp::traces
