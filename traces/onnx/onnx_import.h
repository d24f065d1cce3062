#pragma once
// ONNX model import: an .onnx file becomes a network IR (NHWC) that the simulator runs like a zoo model, without
// LibTorch. The file is read with ONNX's own classes and shape inference (libonnx), its graph translated into the
// mirror the TorchScript importer walks (onnx_translate.h), and mapped to IR layers by the same walker, so both
// formats have the same op coverage and give the same network. Supported ops and limits: docs/onnx.md.
#include <cstdint>
#include <string>

#include "traces/network/network.h"

namespace rp::traces {

struct OnnxOptions {
  int64_t batch = 0;       // > 0: the network's batch; 0: the model's own (its input's first dim; symbolic: 1)
  int64_t resolution = 0;  // > 0: replaces H and W of the model's N,C,H,W input before shape inference
  DType dtype = DType::kF32;
};

// Imports the model in `path`; the network is named after the file's stem ("resnet50" for resnet50.onnx).
// Throws UsageError (one line naming the file) when the file is missing or not an ONNX model, its input is not one
// N,C,H,W tensor of fixed C, H, W, shape inference fails, or the graph uses an op or attribute the IR cannot express
// (the message names the op and the node). Throws std::runtime_error if the imported network's output shape differs
// from ONNX's inferred one scaled to the batch (an importer bug, never expected).
Network import_onnx(const std::string& path, const OnnxOptions& options);

// True when `model` names an ONNX file (ends in ".onnx"), as the command line tells a model file from a zoo name.
bool is_onnx_path(const std::string& model);

}  // namespace rp::traces
