#pragma once
// A torch-free mirror of a frozen TorchScript forward graph (methods inlined, attributes folded into constants,
// prim::Constant nodes folded into the values they define). Produced by load_model (ts_loader.h), consumed by
// the importer, so that only one translation unit includes LibTorch.
#include <string>
#include <vector>

#include "traces/torchscript/sym.h"

namespace rp::traces::ts {

struct TsValue {
  std::string name;  // debug name, e.g. "%input.3"
  bool is_constant = false;
  Sym constant;  // the value of a constant (weights: their shape)
};

struct TsNode;

// A nested block of a control-flow node (the two branches of prim::If).
struct TsBlock {
  std::vector<TsNode> nodes;
  std::vector<int> outputs;
};

struct TsNode {
  std::string kind;         // "aten::_convolution", "prim::ListUnpack", ...
  std::vector<int> inputs;  // indices into TsGraph::values
  std::vector<int> outputs;
  std::string scope;            // module path, e.g. "layer1.0.conv1"; "" at the top level
  std::string text;             // the node as one line of TorchScript IR (error messages)
  std::vector<TsBlock> blocks;  // prim::If: then, else
};

struct TsGraph {
  std::vector<TsValue> values;
  std::vector<TsNode> nodes;  // topological order
  int input = -1;             // the image tensor input (the only tensor input)
  std::vector<int> outputs;   // graph outputs
};

}  // namespace rp::traces::ts
