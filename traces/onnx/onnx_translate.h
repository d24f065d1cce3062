#pragma once
// Translation of an ONNX graph into the importer's torch-free graph mirror (traces/torchscript/ts_graph.h): each
// ONNX node becomes the aten:: node(s) a TorchScript export of the same PyTorch op would have, with the arguments in
// the order of that op's aten schema, so the TorchScript walker (walker.h, op_table.h) maps both formats with the
// same code. Initializers become constant values holding their shapes, as weights are in a TorchScript mirror.
// Before translating, the graph is read for patterns that PyTorch's exporter decomposes (SiLU, hard-swish, the Erf
// GELU, layer norm before opset 17, multi-head attention's bmm-softmax-bmm, a Gemm between two reshapes, torch.roll),
// each of which becomes the one op TorchScript has; integer computations on shapes (Shape, Gather, Unsqueeze, Concat,
// ...) are evaluated from the inferred shapes, numbers computed from constants (Pow) become numbers, and tensors
// computed from sizes only (Swin's shift mask) constants of their shape. Supported ops: docs/onnx.md.
#include <cstdint>
#include <string>

#include "traces/onnx/onnx_loader.h"
#include "traces/onnx/onnx_model.h"
#include "traces/torchscript/ts_graph.h"

namespace rp::traces::onnx {

// The mirror of `m`, simulated at `batch` (the model's own batch is m.input_dims[0]: a Reshape or view whose leading
// size is that batch, on a tensor whose leading dimension is the batch, keeps the batch at `batch`). Throws
// UsageError naming `path`, the op and the node for an op or an attribute the importer does not support.
ts::TsGraph translate(const OxModel& m, const std::string& path, int64_t batch);

// The integer values evaluated from shapes (as translate evaluates them) that a node reads whose output shape ONNX's
// inference left unknown: the Folder that load_onnx takes, so that inference runs again with them as constants.
// Empty when no such node is left. Throws UsageError as translate does for a shape computation it cannot evaluate.
FoldedValues folded_for_inference(const OxModel& m, const std::string& path);

}  // namespace rp::traces::onnx
