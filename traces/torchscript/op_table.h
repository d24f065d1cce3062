#pragma once
// The op registry: one handler per TorchScript op kind ("aten::relu_"), grouped by family in ops_*.cpp.
// An op that is not in the table is an error naming the op and the node, never a silent skip.
#include <string>
#include <unordered_map>

#include "traces/torchscript/ts_graph.h"

namespace rp::traces::ts {

class Walker;
using OpHandler = void (*)(Walker& w, const TsNode& n);
using OpTable = std::unordered_map<std::string, OpHandler>;

// The full table, built once on first use and immutable afterwards.
const OpTable& op_table();

// Each family adds its handlers (ops_*.cpp).
void add_conv_ops(OpTable& t);         // convolution, batch norm
void add_elementwise_ops(OpTable& t);  // activations, add, mul, identities (dropout, contiguous)
void add_pool_ops(OpTable& t);         // max / avg / adaptive avg pooling, mean over H, W
void add_shape_ops(OpTable& t);        // view / reshape / permute, cat, split / chunk / slice / select, roll
void add_prim_ops(OpTable& t);         // lists, tuples, sizes and scalar arithmetic on them
void add_control_ops(OpTable& t);      // prim::If on known conditions, comparisons, raise
void add_transformer_ops(OpTable& t);  // linear / matmul / bmm over any rank, softmax, layer norm, embedding, attention
void add_fold_ops(OpTable& t);  // new_zeros, fill_, masked_fill, ne, eq: tensors computed at import (ops_fold.cpp)

}  // namespace rp::traces::ts

namespace rp::traces::ts {

// Shared by families: arithmetic on two scalars (ints from aten::size, numbers; traced graphs compute view sizes
// this way). Binds the result and returns true when both inputs are scalars; false otherwise.
bool scalar_arithmetic(Walker& w, const TsNode& n);

// Constant folding of tensors computed at import from sizes only (Sym::computed): when `n` creates one
// (aten::new_zeros) or reads one, binds its outputs as computed constants of the resulting sizes and returns true;
// an op on one that is not foldable fails naming it. False when `n` touches none (ops_fold.cpp).
bool fold_computed(Walker& w, const TsNode& n);

}  // namespace rp::traces::ts
