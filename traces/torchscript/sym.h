#pragma once
// What the importer knows about one TorchScript value while it walks a graph: a tensor that is an IR layer, a
// constant (number, list, string, a weight's shape), a list of values, or a channel shuffle in progress.
// Torch-free on purpose: only ts_loader.cpp includes LibTorch.
#include <cstdint>
#include <string>
#include <vector>

namespace rp::traces::ts {

struct Sym {
  enum class Kind {
    kUnset,  // not produced yet (a use before definition is an importer error)
    kLayer,  // a tensor produced by IR layer `layer`; `rank` is the PyTorch rank (4: NCHW, 2: N x features)
    kInt,    // ints[0]
    kFloat,  // floats[0]
    kBool,   // ints[0] is 0 or 1
    kNone,
    kString,       // str
    kInts,         // ints
    kFloats,       // floats
    kTensorConst,  // a constant tensor (weight): `sizes`; with one element also its value in floats[0]
    kList,         // items (prim::ListConstruct / TupleConstruct, chunk results)
    kShuffle,      // layer viewed as N x g x C/g x H x W (stage 1) or transposed to N x C/g x g x H x W (stage 2)
    kOther         // a constant of a type the importer does not use (device, dtype object, ...)
  };
  Kind kind = Kind::kUnset;
  int layer = -1;
  int rank = 4;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::string str;
  std::vector<int64_t> sizes;
  std::vector<Sym> items;
  int64_t groups = 0;  // kShuffle
  int stage = 0;       // kShuffle
  // kLayer views (layout.h). Empty `dims`: the legacy layouts of `rank` (4: NCHW stored NHWC, 2: N x F stored
  // (N, 1, 1, F)). Otherwise `dims` are the PyTorch sizes and `order` the storage order of those dims, outermost
  // first: the IR layer's elements in row-major order are the PyTorch tensor permuted by `order` (an NCHW image
  // stored NHWC has order {0, 2, 3, 1}); the layer's 4-D shape is any grouping of those storage dims.
  std::vector<int64_t> dims;
  std::vector<int> order;
  // kLayer: the tensor is `layer` broadcast to `dims` (aten::expand); `order` is the layer's own. Materialized
  // only by the ops that cannot broadcast (layout.h).
  bool expanded = false;
  // kTensorConst: computed at import from sizes only (aten::new_zeros and what follows from it, e.g. Swin's
  // shifted-window mask), not a learned tensor; ops on it fold to more such constants (ops_fold.cpp).
  bool computed = false;
  // kTensorConst: the learned parameters it holds or was computed from at load (ts_loader.h): its elements for a
  // parameter, the table's for a position bias gathered from it, 0 for a buffer or a tensor computed from sizes;
  // -1 (unknown, e.g. an ONNX initializer): all its elements.
  int64_t learned = -1;

  static Sym of_layer(int id, int rank);
  // A layer holding the PyTorch tensor of sizes `dims`, stored in `order` (see `dims` above); rank = dims.size().
  static Sym of_view(int id, std::vector<int64_t> dims, std::vector<int> order);
  static Sym of_int(int64_t v);
  static Sym of_float(double v);
  static Sym of_bool(bool v);
  static Sym none();
  static Sym list(std::vector<Sym> items);

  bool is_scalar() const;        // kInt, kFloat, kBool, or a one-element constant tensor
  double scalar() const;         // the value of a scalar; 0 otherwise
  std::string describe() const;  // "tensor layer 12", "int 3", "int[] [1, 2]", ... for error messages
};

}  // namespace rp::traces::ts
