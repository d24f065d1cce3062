#pragma once
// Walks a mirrored TorchScript graph node by node, dispatching each op to its handler (op_table.h) and keeping
// what is known about every value (sym.h). Handlers read their arguments and bind their outputs through the
// accessors below; every accessor that finds an argument of the wrong kind fails with the node in the message.
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "traces/network/network.h"
#include "traces/torchscript/naming.h"
#include "traces/torchscript/sym.h"
#include "traces/torchscript/ts_graph.h"

namespace rp::traces::ts {

class Walker {
 public:
  // `file` names the model in error messages. The graph must outlive the walker.
  Walker(const TsGraph& graph, Network& net, std::string file);

  // Binds the graph input to `input_layer` (an NCHW tensor) and maps every node; throws UsageError naming the
  // first unsupported op or unsupported use of an op.
  void run(int input_layer);
  // The same with the graph input bound to `input` (a tensor of another rank, e.g. token ids: Sym::of_view).
  void run_with(const Sym& input);
  // Maps a sequence of nodes (the graph's, or a branch of prim::If).
  void walk(const std::vector<TsNode>& nodes);
  const Sym& value(int v) const { return env_.at(static_cast<size_t>(v)); }

  // --- for handlers ---
  Network& net() { return net_; }
  const TsGraph& graph() const { return graph_; }
  size_t arg_count(const TsNode& n) const { return n.inputs.size(); }
  const Sym& arg(const TsNode& n, size_t i) const;
  int layer(const TsNode& n, size_t i) const;  // input i is a tensor: its IR layer
  int rank(const TsNode& n, size_t i) const;   // ... and its PyTorch rank
  const Shape& shape(int layer) const { return net_.layer(layer).output; }
  int64_t int_arg(const TsNode& n, size_t i) const;
  // A number as an int (truncated toward zero, as int(x) in TorchScript); fails naming the node when it is NaN or
  // outside the int64 range instead of converting it (undefined behaviour).
  int64_t to_int(const TsNode& n, double v) const;
  std::vector<int64_t> ints_arg(const TsNode& n, size_t i) const;  // int[]; a single int is a 1-list
  double float_arg(const TsNode& n, size_t i) const;
  bool bool_arg(const TsNode& n, size_t i) const;
  bool is_none(const TsNode& n, size_t i) const { return arg(n, i).kind == Sym::Kind::kNone; }
  // Input i is a constant tensor (a weight) with `dims` dimensions: its sizes.
  const std::vector<int64_t>& weight(const TsNode& n, size_t i, size_t dims) const;

  void set(const TsNode& n, size_t out, Sym s);
  void set_layer(const TsNode& n, int layer, int rank) { set(n, 0, Sym::of_layer(layer, rank)); }
  // In-place ops (relu_, add_): the mutated input value now stands for the result too (scripted graphs reuse it).
  void rebind_input(const TsNode& n, size_t in, const Sym& s);

  std::string name(const TsNode& n, const std::string& suffix = "") { return naming_.layer_name(n, suffix); }
  std::string name_as(const TsNode& n, const std::string& op) { return naming_.name_as(n, op); }
  [[noreturn]] void fail(const TsNode& n, const std::string& what) const;
  [[noreturn]] void bad_arg(const TsNode& n, size_t i, const std::string& expected) const;

  const std::vector<const TsNode*>& uses(int v) const { return uses_.at(static_cast<size_t>(v)); }
  // Marks a later node as already mapped by the current handler (e.g. a bias add folded into a dense layer);
  // the handler binds its outputs and the walk skips it.
  void absorb(const TsNode* node) { absorbed_.insert(node); }

 private:
  const TsGraph& graph_;
  Network& net_;
  std::string file_;
  Naming naming_;
  std::vector<Sym> env_;
  void add_uses(const std::vector<TsNode>& nodes);

  std::vector<std::vector<const TsNode*>> uses_;
  std::unordered_set<const TsNode*> absorbed_;
};

// PyTorch sizes of an IR tensor: rank 4 -> {N, C, H, W}, rank 2 -> {N, features}.
std::vector<int64_t> torch_sizes(const Shape& s, int rank);
// PyTorch sizes of any tensor-like value (layers, views of any rank and channel-shuffle views).
std::vector<int64_t> torch_sizes(const Walker& w, const Sym& s);
// A dimension index (negative counts from the end) in [0, rank); -1 when out of range.
int norm_dim(int64_t dim, int rank);
std::string sizes_str(const std::vector<int64_t>& sizes);  // "[1, 3, 224, 224]"

}  // namespace rp::traces::ts
