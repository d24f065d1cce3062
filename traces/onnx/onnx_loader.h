#pragma once
// Reading an ONNX file: the only part of the importer that includes ONNX's headers (onnx_loader.cpp).
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "traces/onnx/onnx_model.h"

namespace rp::traces::onnx {

// Loads `path` with ONNX's protobuf classes, fixes the one tensor input's dimensions (a symbolic batch becomes 1;
// `resolution` > 0 replaces H and W of a rank-4 input) and runs ONNX shape inference, so every value the importer
// reads has a shape. Throws UsageError with one line naming `path` when the file is missing, not an ONNX model,
// has other than one non-constant input, an input dimension other than the batch is symbolic, or shape inference
// rejects the graph (ONNX's message quoted).
OxModel load_onnx(const std::string& path, int64_t resolution);

// Integer values the importer evaluated from shapes that ONNX's shape inference could not (a Slice whose ends are
// computed from Shape), by value name; each holds the value's dims and values.
using FoldedValues = std::map<std::string, OxTensor>;
// The suffix of the initializer a folded value becomes ("x" is read as "x::folded" from then on).
inline constexpr const char* kFoldedSuffix = "::folded";
using Folder = std::function<FoldedValues(const OxModel&)>;

// load_onnx, with the shapes of Einsum outputs that ONNX's inference leaves at their rank computed from the
// equation (then inference runs again); then, while `fold` returns values: each becomes a constant (an initializer) in place of its computation
// for the nodes that read it, and shape inference runs again, so shapes that depended on it become known (at most
// 32 rounds).
OxModel load_onnx(const std::string& path, int64_t resolution, const Folder& fold);

}  // namespace rp::traces::onnx
