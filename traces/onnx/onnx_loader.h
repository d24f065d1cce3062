#pragma once
// Reading an ONNX file: the only part of the importer that includes ONNX's headers (onnx_loader.cpp).
#include <cstdint>
#include <string>

#include "traces/onnx/onnx_model.h"

namespace rp::traces::onnx {

// Loads `path` with ONNX's protobuf classes, fixes the one tensor input's dimensions (a symbolic batch becomes 1;
// `resolution` > 0 replaces H and W of a rank-4 input) and runs ONNX shape inference, so every value the importer
// reads has a shape. Throws UsageError with one line naming `path` when the file is missing, not an ONNX model,
// has other than one non-constant input, an input dimension other than the batch is symbolic, or shape inference
// rejects the graph (ONNX's message quoted).
OxModel load_onnx(const std::string& path, int64_t resolution);

}  // namespace rp::traces::onnx
