// Control flow that scripted models keep after freezing: shape guards such as
// `if len(x.size()) <= 2: raise ValueError(...)`. A prim::If whose condition is known (it depends only on sizes and
// constants) is mapped by walking the taken branch; raising in the taken branch is an error quoting the model's
// message. Loops are not supported.
#include <string>

#include "traces/torchscript/op_table.h"
#include "traces/torchscript/walker.h"

namespace rp::traces::ts {
namespace {

void op_if(Walker& w, const TsNode& n) {
  const Sym& cond = w.arg(n, 0);
  if (cond.kind != Sym::Kind::kBool) w.fail(n, "prim::If on " + cond.describe() + " (only on known conditions)");
  if (n.blocks.size() != 2) w.fail(n, "prim::If without two branches");
  const TsBlock& taken = n.blocks[cond.ints[0] ? 0 : 1];
  w.walk(taken.nodes);
  if (taken.outputs.size() != n.outputs.size()) w.fail(n, "prim::If branch outputs do not match");
  for (size_t i = 0; i < n.outputs.size(); ++i) w.set(n, i, w.value(taken.outputs[i]));
}

void op_raise(Walker& w, const TsNode& n) {
  const Sym& msg = w.arg_count(n) > 0 ? w.arg(n, 0) : Sym::none();
  w.fail(n, "the model raises an exception for this input" + (msg.kind == Sym::Kind::kString ? ": " + msg.str : ""));
}

void op_compare(Walker& w, const TsNode& n) {
  const Sym& a = w.arg(n, 0);
  const Sym& b = w.arg(n, 1);
  const std::string op = Naming::op_short_name(n.kind);
  if (op == "eq" || op == "ne") {
    const bool eq = op == "eq";
    if (a.kind == Sym::Kind::kString && b.kind == Sym::Kind::kString) {
      return w.set(n, 0, Sym::of_bool((a.str == b.str) == eq));
    }
    const auto is_list = [](const Sym& s) { return s.kind == Sym::Kind::kInts || s.kind == Sym::Kind::kList; };
    if (is_list(a) || is_list(b)) return w.set(n, 0, Sym::of_bool((w.ints_arg(n, 0) == w.ints_arg(n, 1)) == eq));
  }
  if (!a.is_scalar() || !b.is_scalar()) w.fail(n, "'" + n.kind + "' of " + a.describe() + " and " + b.describe());
  const double x = a.scalar(), y = b.scalar();
  bool r = false;
  if (op == "gt") r = x > y;
  if (op == "lt") r = x < y;
  if (op == "ge") r = x >= y;
  if (op == "le") r = x <= y;
  if (op == "eq") r = x == y;
  if (op == "ne") r = x != y;
  w.set(n, 0, Sym::of_bool(r));
}

void op_not(Walker& w, const TsNode& n) { w.set(n, 0, Sym::of_bool(!w.bool_arg(n, 0))); }

void op_is_none(Walker& w, const TsNode& n) {  // aten::__is__ / aten::__isnot__ against None
  const bool same = w.arg(n, 0).kind == Sym::Kind::kNone && w.arg(n, 1).kind == Sym::Kind::kNone;
  const bool none_check = w.arg(n, 0).kind == Sym::Kind::kNone || w.arg(n, 1).kind == Sym::Kind::kNone;
  if (!none_check) w.fail(n, "'" + n.kind + "' is supported only against None");
  w.set(n, 0, Sym::of_bool(same == (n.kind == "aten::__is__")));
}

void op_len(Walker& w, const TsNode& n) {
  const Sym& a = w.arg(n, 0);
  if (a.kind == Sym::Kind::kList) return w.set(n, 0, Sym::of_int(static_cast<int64_t>(a.items.size())));
  w.set(n, 0, Sym::of_int(static_cast<int64_t>(w.ints_arg(n, 0).size())));
}

void op_pass(Walker& w, const TsNode& n) {  // prim::unchecked_cast: the value itself
  if (!n.outputs.empty()) w.set(n, 0, w.arg(n, 0));
}

void op_nothing(Walker&, const TsNode&) {}  // aten::warn

void op_uninitialized(Walker& w, const TsNode& n) { w.set(n, 0, Sym::none()); }  // output of a raising branch

}  // namespace

void add_control_ops(OpTable& t) {
  t["prim::If"] = op_if;
  t["prim::RaiseException"] = op_raise;
  for (const char* op : {"aten::gt", "aten::lt", "aten::ge", "aten::le", "aten::eq", "aten::ne"}) t[op] = op_compare;
  t["aten::__not__"] = op_not;
  t["aten::__is__"] = op_is_none;
  t["aten::__isnot__"] = op_is_none;
  t["aten::len"] = op_len;
  t["prim::unchecked_cast"] = op_pass;
  t["aten::warn"] = op_nothing;
  t["prim::Uninitialized"] = op_uninitialized;
}

}  // namespace rp::traces::ts
