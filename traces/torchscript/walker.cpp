#include "traces/torchscript/walker.h"

#include <utility>

#include "simulator/error.h"
#include "traces/torchscript/op_table.h"

namespace rp::traces::ts {

Walker::Walker(const TsGraph& graph, Network& net, std::string file)
    : graph_(graph), net_(net), file_(std::move(file)), naming_(graph) {
  env_.resize(graph.values.size());
  uses_.resize(graph.values.size());
  for (size_t v = 0; v < graph.values.size(); ++v) {
    if (graph.values[v].is_constant) env_[v] = graph.values[v].constant;
  }
  add_uses(graph.nodes);
}

void Walker::add_uses(const std::vector<TsNode>& nodes) {
  for (const TsNode& n : nodes) {
    for (int v : n.inputs) uses_[static_cast<size_t>(v)].push_back(&n);
    for (const TsBlock& b : n.blocks) add_uses(b.nodes);
  }
}

void Walker::run(int input_layer) { run_with(Sym::of_layer(input_layer, 4)); }

void Walker::run_with(const Sym& input) {
  env_.at(static_cast<size_t>(graph_.input)) = input;
  walk(graph_.nodes);
}

void Walker::walk(const std::vector<TsNode>& nodes) {
  const OpTable& table = op_table();
  for (const TsNode& n : nodes) {
    if (absorbed_.count(&n)) continue;
    auto it = table.find(n.kind);
    if (it == table.end()) fail(n, "unsupported op '" + n.kind + "'");
    net_.set_group(naming_.group(n));
    try {
      if (!fold_computed(*this, n)) it->second(*this, n);
    } catch (const UsageError& e) {
      const std::string what = e.what();
      if (what.rfind("torchscript ", 0) == 0) throw;
      fail(n, what);  // a shape check of the network IR: add the node
    }
  }
}

void Walker::bad_arg(const TsNode& n, size_t i, const std::string& expected) const {
  fail(n, "input " + std::to_string(i) + " of '" + n.kind + "' is " + arg(n, i).describe() + ", expected " + expected);
}

const Sym& Walker::arg(const TsNode& n, size_t i) const {
  if (i >= n.inputs.size()) fail(n, "'" + n.kind + "' has only " + std::to_string(n.inputs.size()) + " inputs");
  const Sym& s = env_[static_cast<size_t>(n.inputs[i])];
  if (s.kind == Sym::Kind::kUnset) fail(n, "input " + std::to_string(i) + " of '" + n.kind + "' is undefined");
  return s;
}

int Walker::layer(const TsNode& n, size_t i) const {
  const Sym& s = arg(n, i);
  if (s.kind != Sym::Kind::kLayer) bad_arg(n, i, "a tensor");
  return s.layer;
}

int Walker::rank(const TsNode& n, size_t i) const {
  layer(n, i);
  return arg(n, i).rank;
}

int64_t Walker::int_arg(const TsNode& n, size_t i) const {
  const Sym& s = arg(n, i);
  if (s.kind == Sym::Kind::kInt || s.kind == Sym::Kind::kBool) return s.ints[0];
  if (s.kind == Sym::Kind::kTensorConst && s.floats.size() == 1) return to_int(n, s.floats[0]);
  bad_arg(n, i, "an int");
}

int64_t Walker::to_int(const TsNode& n, double v) const {
  if (!(v > -9.2e18 && v < 9.2e18)) fail(n, "the number " + std::to_string(v) + " does not fit an int");
  return static_cast<int64_t>(v);
}

std::vector<int64_t> Walker::ints_arg(const TsNode& n, size_t i) const {
  const Sym& s = arg(n, i);
  if (s.kind == Sym::Kind::kInts) return s.ints;
  if (s.kind == Sym::Kind::kInt) return s.ints;
  if (s.kind == Sym::Kind::kList) {
    std::vector<int64_t> out;
    for (const Sym& e : s.items) {
      if (e.kind != Sym::Kind::kInt) bad_arg(n, i, "a list of ints");
      out.push_back(e.ints[0]);
    }
    return out;
  }
  bad_arg(n, i, "int[]");
}

double Walker::float_arg(const TsNode& n, size_t i) const {
  const Sym& s = arg(n, i);
  if (!s.is_scalar()) bad_arg(n, i, "a number");
  return s.scalar();
}

bool Walker::bool_arg(const TsNode& n, size_t i) const {
  const Sym& s = arg(n, i);
  if (s.kind != Sym::Kind::kBool) bad_arg(n, i, "a bool");
  return s.ints[0] != 0;
}

const std::vector<int64_t>& Walker::weight(const TsNode& n, size_t i, size_t dims) const {
  const Sym& s = arg(n, i);
  if (s.kind != Sym::Kind::kTensorConst) {
    fail(n, "the weight of '" + n.kind + "' is " + s.describe() + ", expected a constant tensor");
  }
  if (s.sizes.size() != dims) {
    fail(n, "the weight of '" + n.kind + "' has shape " + sizes_str(s.sizes) + ", expected " + std::to_string(dims) +
                " dimensions");
  }
  return s.sizes;
}

void Walker::set(const TsNode& n, size_t out, Sym s) {
  if (out >= n.outputs.size()) fail(n, "'" + n.kind + "' has fewer outputs than expected");
  env_[static_cast<size_t>(n.outputs[out])] = std::move(s);
}

void Walker::rebind_input(const TsNode& n, size_t in, const Sym& s) { env_[static_cast<size_t>(n.inputs.at(in))] = s; }

void Walker::fail(const TsNode& n, const std::string& what) const {
  throw UsageError("torchscript " + file_ + ": " + what + " at node " + n.text);
}

std::vector<int64_t> torch_sizes(const Shape& s, int rank) {
  if (rank == 2) return {s.n, s.c};
  return {s.n, s.c, s.h, s.w};
}

std::vector<int64_t> torch_sizes(const Walker& w, const Sym& s) {
  if (s.kind == Sym::Kind::kLayer && !s.dims.empty()) return s.dims;
  if (s.kind == Sym::Kind::kLayer) return torch_sizes(w.shape(s.layer), s.rank);
  if (s.kind == Sym::Kind::kShuffle) {
    const Shape& x = w.shape(s.layer);
    if (s.stage == 1) return {x.n, s.groups, x.c / s.groups, x.h, x.w};
    return {x.n, x.c / s.groups, s.groups, x.h, x.w};
  }
  return {};
}

int norm_dim(int64_t dim, int rank) {
  const int64_t d = dim < 0 ? dim + rank : dim;
  return d >= 0 && d < rank ? static_cast<int>(d) : -1;
}

std::string sizes_str(const std::vector<int64_t>& sizes) {
  std::string s = "[";
  for (size_t i = 0; i < sizes.size(); ++i) s += (i ? ", " : "") + std::to_string(sizes[i]);
  return s + "]";
}

}  // namespace rp::traces::ts
