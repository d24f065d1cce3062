// Lists and tuples, tensor sizes and scalar arithmetic on them. Traced graphs compute reshape sizes at run time
// (aten::size -> prim::NumToTensor -> aten::floor_divide -> aten::Int); they are evaluated here at the
// simulated batch, so a model whose reshapes follow the input keeps working when --batch overrides N.
#include <cmath>
#include <string>
#include <vector>

#include "traces/torchscript/op_table.h"
#include "traces/torchscript/walker.h"

namespace rp::traces::ts {
namespace {

void op_list(Walker& w, const TsNode& n) {  // prim::ListConstruct, prim::TupleConstruct
  std::vector<Sym> items;
  for (size_t i = 0; i < w.arg_count(n); ++i) items.push_back(w.arg(n, i));
  w.set(n, 0, Sym::list(std::move(items)));
}

void op_unpack(Walker& w, const TsNode& n) {  // prim::ListUnpack, prim::TupleUnpack
  Sym list = w.arg(n, 0);
  if (list.kind == Sym::Kind::kInts) {  // n, c, h, w = x.size()
    std::vector<Sym> ints;
    for (int64_t v : list.ints) ints.push_back(Sym::of_int(v));
    list = Sym::list(std::move(ints));
  }
  if (list.kind != Sym::Kind::kList || list.items.size() != n.outputs.size()) {
    w.fail(n, "unpacking " + list.describe() + " into " + std::to_string(n.outputs.size()) + " values");
  }
  for (size_t i = 0; i < n.outputs.size(); ++i) w.set(n, i, list.items[i]);
}

// aten::append(list, x): scripted code that grows a list (DenseNet's features); the list value itself changes.
void op_append(Walker& w, const TsNode& n) {
  Sym list = w.arg(n, 0);
  if (list.kind != Sym::Kind::kList) w.fail(n, "appending to " + list.describe());
  list.items.push_back(w.arg(n, 1));
  w.rebind_input(n, 0, list);
  if (!n.outputs.empty()) w.set(n, 0, list);
}

void op_getitem(Walker& w, const TsNode& n) {  // aten::__getitem__(list, index)
  const Sym list = w.arg(n, 0);
  const int64_t i = w.int_arg(n, 1);
  const int64_t count =
      list.kind == Sym::Kind::kList ? static_cast<int64_t>(list.items.size()) : static_cast<int64_t>(list.ints.size());
  const int64_t k = i < 0 ? i + count : i;
  if (list.kind != Sym::Kind::kList && list.kind != Sym::Kind::kInts) w.fail(n, "indexing " + list.describe());
  if (k < 0 || k >= count) w.fail(n, "index " + std::to_string(i) + " out of range");
  const size_t at = static_cast<size_t>(k);
  w.set(n, 0, list.kind == Sym::Kind::kList ? list.items[at] : Sym::of_int(list.ints[at]));
}

void op_size(Walker& w, const TsNode& n) {  // aten::size(x) or aten::size(x, dim)
  const std::vector<int64_t> sizes = torch_sizes(w, w.arg(n, 0));
  if (sizes.empty()) w.fail(n, "size of " + w.arg(n, 0).describe());
  if (w.arg_count(n) == 1) {
    Sym s;
    s.kind = Sym::Kind::kInts;
    s.ints = sizes;
    return w.set(n, 0, s);
  }
  const int d = norm_dim(w.int_arg(n, 1), static_cast<int>(sizes.size()));
  if (d < 0) w.fail(n, "dim " + std::to_string(w.int_arg(n, 1)) + " out of range for " + sizes_str(sizes));
  w.set(n, 0, Sym::of_int(sizes[static_cast<size_t>(d)]));
}

void op_dim(Walker& w, const TsNode& n) {
  w.set(n, 0, Sym::of_int(static_cast<int64_t>(torch_sizes(w, w.arg(n, 0)).size())));
}

void op_scalar_cast(Walker& w, const TsNode& n) {  // prim::NumToTensor, aten::Int, aten::Float, ScalarImplicit
  const Sym& a = w.arg(n, 0);
  if (!a.is_scalar()) w.fail(n, "'" + n.kind + "' of " + a.describe());
  if (n.kind == "aten::Int") return w.set(n, 0, Sym::of_int(w.to_int(n, a.scalar())));
  if (n.kind == "aten::Float") return w.set(n, 0, Sym::of_float(a.scalar()));
  w.set(n, 0, a);
}

void op_arithmetic(Walker& w, const TsNode& n) {
  if (!scalar_arithmetic(w, n)) w.fail(n, "'" + n.kind + "' is supported only on scalars (sizes), not on tensors");
}

bool integral(const Sym& s) { return s.kind == Sym::Kind::kInt || s.kind == Sym::Kind::kBool; }

}  // namespace

bool scalar_arithmetic(Walker& w, const TsNode& n) {
  if (w.arg_count(n) < 2 || !w.arg(n, 0).is_scalar() || !w.arg(n, 1).is_scalar()) return false;
  const double a = w.arg(n, 0).scalar(), b = w.arg(n, 1).scalar();
  const std::string op = Naming::op_short_name(n.kind);
  const bool ints = integral(w.arg(n, 0)) && integral(w.arg(n, 1));
  const Sym& third = w.arg_count(n) > 2 ? w.arg(n, 2) : Sym::none();
  double r = 0;
  bool int_result = ints;
  if (op == "add" || op == "sub" || op == "rsub") {
    const double alpha = third.is_scalar() ? third.scalar() : 1;
    r = op == "add" ? a + alpha * b : op == "sub" ? a - alpha * b : b - alpha * a;
  } else if (op == "mul") {
    r = a * b;
  } else if (op == "floor_divide" || op == "floordiv" || (op == "div" && third.str == "floor")) {
    if (b == 0) w.fail(n, "division by zero");
    r = std::floor(a / b);
  } else if (op == "div") {
    if (b == 0) w.fail(n, "division by zero");
    r = third.str == "trunc" ? std::trunc(a / b) : a / b;
    int_result = ints && third.str == "trunc";
  } else if (op == "pow") {
    r = std::pow(a, b);
    int_result = ints && b >= 0;
  } else if (op == "remainder") {
    if (b == 0) w.fail(n, "division by zero");
    r = a - std::floor(a / b) * b;
  } else {
    return false;
  }
  w.set(n, 0, int_result ? Sym::of_int(w.to_int(n, r)) : Sym::of_float(r));
  return true;
}

namespace {

// aten::numel (self) of a tensor or a constant (Swin V2's qkv_bias.numel() // 3).
void op_numel(Walker& w, const TsNode& n) {
  const Sym& s = w.arg(n, 0);
  const std::vector<int64_t> sizes = s.kind == Sym::Kind::kTensorConst ? s.sizes : torch_sizes(w, s);
  if (sizes.empty() && s.kind != Sym::Kind::kTensorConst) w.fail(n, "numel of " + s.describe());
  int64_t count = 1;
  for (int64_t d : sizes) count *= d;
  w.set(n, 0, Sym::of_int(count));
}

}  // namespace

void add_prim_ops(OpTable& t) {
  t["aten::numel"] = op_numel;
  t["prim::ListConstruct"] = op_list;
  t["prim::TupleConstruct"] = op_list;
  t["prim::ListUnpack"] = op_unpack;
  t["prim::TupleUnpack"] = op_unpack;
  t["aten::__getitem__"] = op_getitem;
  t["aten::append"] = op_append;
  t["aten::size"] = op_size;
  t["aten::dim"] = op_dim;
  for (const char* op : {"prim::NumToTensor", "aten::Int", "aten::Float", "aten::ScalarImplicit"}) {
    t[op] = op_scalar_cast;
  }
  for (const char* op :
       {"aten::floor_divide", "aten::floordiv", "aten::remainder", "aten::pow"}) {  // sub, div: ops_elementwise
    t[op] = op_arithmetic;
  }
}

}  // namespace rp::traces::ts
