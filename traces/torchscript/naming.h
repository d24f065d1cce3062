#pragma once
// Readable, unique IR layer names from the module hierarchy of a TorchScript graph.
//  - an op inside a leaf module (no submodules, e.g. "layer1.0.conv1") is named after the module;
//    a second op of the same kind in it gets "_1", "_2" (a ReLU module used three times), another kind "path/op";
//  - an op written in a container's forward() (the residual add of "layer1.0") is "layer1.0/add";
//  - an op at the top level is named after the op ("flatten", "flatten_1");
//  - `suffix` (e.g. a split part) is appended as "/suffix".
// Groups (the block a layer is reported under) cut the path after its first index, or two consecutive indices:
// "layer1.0.conv1" -> "layer1.0", "features.2.1.block.0.0" -> "features.2.1"; without an index, the parent module.
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "traces/torchscript/ts_graph.h"

namespace rp::traces::ts {

class Naming {
 public:
  explicit Naming(const TsGraph& g);

  std::string layer_name(const TsNode& n, const std::string& suffix = "") {
    return name_as(n, op_short_name(n.kind), suffix);
  }
  // The same with `op` standing for the node's op (a view that is really a flatten or a channel shuffle).
  std::string name_as(const TsNode& n, const std::string& op, const std::string& suffix = "");
  std::string group(const TsNode& n) const;

  // "aten::_convolution" -> "conv2d", "aten::relu_" -> "relu", "prim::ListUnpack" -> "ListUnpack".
  static std::string op_short_name(const std::string& kind);

 private:
  void add_containers(const std::vector<TsNode>& nodes);
  bool is_leaf(const std::string& path) const { return !containers_.count(path); }
  std::string unique(const std::string& base);

  std::unordered_set<std::string> containers_;             // module paths that have submodules
  std::unordered_map<std::string, std::string> first_op_;  // leaf path -> the op kind first named after it
  std::unordered_set<std::string> taken_;
};

}  // namespace rp::traces::ts
