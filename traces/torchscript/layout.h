#pragma once
// How a PyTorch tensor of any rank lives in a rank-4 row-major IR layer (sym.h, `dims` and `order`).
//  - An NCHW image is stored NHWC (order {0, 2, 3, 1}); a rank-r tensor made by the new ops is stored in its own
//    order (order {0, .., r-1}) unless a permute left it otherwise.
//  - permute / transpose only change the view (no layer); a view / reshape / flatten / squeeze / unsqueeze is free
//    (at most a kReshape, metadata only) when every group of dims it merges or splits is stored consecutively and
//    in order; otherwise the data really moves: one kPermute when the move is a permutation of at most four blocks,
//    else a relayout (add_relayout), then the reshape.
//  - The default 4-D grouping of storage dims s0..s(k-1) (default_shape): rank 1 (1, 1, 1, s0), rank 2
//    (s0, 1, 1, s1), rank 3 (s0, 1, s1, s2) ([B, S, D] -> (B, 1, S, D)), rank 4 as is, more: the leading dims
//    merged into n (dims of size 1 dropped first).
// Ops that work over the last IR dimension (dense, softmax, layer norm) get the dim innermost (innermost());
// ops that work on one axis (slice, cat, split) get the dim as one IR axis (axis_layer()).
#include <cstdint>
#include <vector>

#include "traces/network/network.h"
#include "traces/torchscript/walker.h"

namespace rp::traces::ts {

struct View {
  int layer = -1;
  std::vector<int64_t> dims;  // PyTorch sizes
  std::vector<int> order;     // storage order of dims, outermost first
  bool expanded = false;      // layer holds the tensor before an expand (size-1 dims broadcast to dims)
  std::vector<int64_t> base;  // expanded: the sizes the layer holds (dims, with 1 where the expand broadcasts)
  int rank() const { return static_cast<int>(dims.size()); }
};

// The view of a tensor value (legacy rank-4 and rank-2 values get their documented layouts). Fails naming the
// node unless `s` is a tensor.
View view_of(const Walker& w, const TsNode& n, const Sym& s);
inline View view_arg(const Walker& w, const TsNode& n, size_t i) { return view_of(w, n, w.arg(n, i)); }
// The value of a view; its order normalized to the identity when the dims that are not 1 are stored in order.
Sym sym_of(const Walker& w, const View& v);

std::vector<int64_t> storage_dims(const View& v);  // dims in storage order
Shape default_shape(const std::vector<int64_t>& storage);
// `layer` reshaped (a kReshape, metadata only) to `shape` unless it has it already (an earlier reshape of `layer` to
// `shape` is reused).
int as_shape(Walker& w, const TsNode& n, int layer, const Shape& shape);
// A layer holding v's tensor stored in `want` order, in its default shape: no layer when only the grouping
// differs, else a kPermute of at most four blocks, else a relayout.
int materialize(Walker& w, const TsNode& n, const View& v, const std::vector<int>& want);
// The view `v` reshaped to `to` (PyTorch view semantics; `to` fully resolved), free where the layout allows.
View reshaped(Walker& w, const TsNode& n, const View& v, const std::vector<int64_t>& to);
// The view with its dims permuted: dim i of the result is dim perm[i] of v (metadata only).
View permuted(const View& v, const std::vector<int>& perm);
// v with dim d stored innermost and as the IR layer's c (moving data when it is not); returns the view.
View innermost(Walker& w, const TsNode& n, const View& v, int d);
// A layer of v's tensor shaped so that dim d is exactly one IR axis (`axis`, 0..3); v.layer when it already is.
int axis_layer(Walker& w, const TsNode& n, const View& v, int d, int& axis);
// An expanded view made real: v.layer broadcast against a slice of `like` (a tensor of the expanded dims).
View unexpanded(Walker& w, const TsNode& n, const View& v, const View& like);
// The NHWC layer of an NCHW tensor (input i of a convolution or pooling), moving data when it is stored otherwise.
int nchw_layer(Walker& w, const TsNode& n, size_t i);
std::vector<int> identity_order(int rank);

}  // namespace rp::traces::ts
