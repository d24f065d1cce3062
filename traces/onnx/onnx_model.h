#pragma once
// An ONNX model as the importer needs it, free of ONNX's and protobuf's headers: nodes with their attributes,
// the shape of every value after ONNX shape inference, and the constants (initializers and Constant nodes) with
// their dimensions and, when small, their values. Produced by load_onnx (onnx_loader.h), the only code that
// includes ONNX headers; consumed by the translation to the importer's graph mirror (onnx_translate.h).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rp::traces::onnx {

// Constants with at most this many elements keep their values (shapes, axes, scalars); larger ones (weights) keep
// only their dimensions.
constexpr int64_t kMaxConstantValues = 64;

struct OxTensor {
  std::vector<int64_t> dims;
  bool has_values = false;     // the values below are the tensor's (numeric and at most kMaxConstantValues)
  std::vector<double> values;  // row-major
  int64_t elements() const;
};

struct OxAttr {
  enum class Type { kInt, kFloat, kInts, kFloats, kString, kTensor, kOther };
  Type type = Type::kOther;
  int64_t i = 0;
  double f = 0;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::string s;
  OxTensor t;
};

struct OxNode {
  std::string op;                   // "Conv"
  std::string domain;               // "" for the default (ai.onnx) domain
  std::string name;                 // the node's name, or "<op>_<index>" for an unnamed node
  std::vector<std::string> inputs;  // value names; "" for an omitted optional input
  std::vector<std::string> outputs;
  std::map<std::string, OxAttr> attrs;
};

struct OxModel {
  int64_t opset = 0;                                   // of the default domain
  std::string input;                                   // the one tensor input
  std::vector<int64_t> input_dims;                     // its dimensions as simulated at batch input_dims[0]
  std::vector<std::string> outputs;                    // graph outputs
  std::vector<OxNode> nodes;                           // topological order, Constant nodes folded into `constants`
  std::map<std::string, OxTensor> constants;           // initializers and Constant outputs
  std::map<std::string, std::vector<int64_t>> shapes;  // inferred dims (-1 where unknown); absent: unknown rank
};

}  // namespace rp::traces::onnx
