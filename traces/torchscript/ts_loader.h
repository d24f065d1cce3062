#pragma once
// Loading a TorchScript file: the only part of the importer that touches LibTorch (ts_loader.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "traces/torchscript/child_call.h"
#include "traces/torchscript/ts_graph.h"

namespace rp::traces::ts {

struct LoadedModel {
  TsGraph graph;
  std::vector<std::vector<int64_t>> output_sizes;  // sizes of every tensor forward() returned at batch 1
};

// Loads `path` in eval mode, freezes a copy (attributes folded into constants, methods inlined) and mirrors its
// forward graph; never runs the model. Throws UsageError with one line naming `path` when the file does not exist,
// is not a TorchScript model, takes other than one tensor input, or cannot be frozen.
TsGraph load_graph(const std::string& path);

// The sizes of every tensor forward() returns on zeros of `input_shape` with N = 1 (token ids for a rank-2 shape),
// run in a child process bounded by `limits`; throws UsageError quoting the model's own message when it rejects
// the shape, or saying that forward() did not return within the limits or killed the child.
std::vector<std::vector<int64_t>> forward_sizes(const std::string& path, const std::vector<int64_t>& input_shape,
                                                const ChildLimits& limits);

// Both: load_graph and forward_sizes. Loads `path`, switches the module to eval mode, runs forward() once on zeros of `input_shape` (NCHW) with N = 1,
// in a child process bounded by `limits` (child_call.h), to check that the shape fits and learn the output sizes
// at batch 1 (never at N: a large batch costs nothing), then freezes a copy (attributes folded into constants,
// methods inlined) and mirrors its forward graph. Throws UsageError with one line naming `path` when the file does
// not exist, is not a TorchScript model, takes other than one tensor input, rejects the input shape (the model's
// own message is quoted), or its forward() does not return within the limits or kills the child.
LoadedModel load_model(const std::string& path, const std::vector<int64_t>& input_shape, const ChildLimits& limits);

// The one line of a (possibly multi-line) LibTorch error message that says what went wrong: the last
// "<Kind>Error: ..." line of a TorchScript traceback (without a "RuntimeError: " prefix), else the first
// non-empty line.
std::string torch_error_line(const std::string& what);

}  // namespace rp::traces::ts
