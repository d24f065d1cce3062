// Activations, elementwise add / mul, and ops that are the identity at inference (dropout, contiguous).
#include <string>
#include <unordered_map>

#include "traces/torchscript/op_table.h"
#include "traces/torchscript/walker.h"

namespace rp::traces::ts {
namespace {

bool in_place(const TsNode& n) { return !n.kind.empty() && n.kind.back() == '_'; }

void bind(Walker& w, const TsNode& n, const Sym& y) {
  w.set(n, 0, y);
  if (in_place(n)) w.rebind_input(n, 0, y);
}

// hardtanh(x, 0, 6) and clamp(x, 0, 6) are ReLU6; clamp(x, 0) is ReLU; other bounds are not activations the
// IR has.
Act clamp_act(Walker& w, const TsNode& n) {
  const double lo = w.is_none(n, 1) ? -1 : w.float_arg(n, 1);
  const bool no_max = w.is_none(n, 2);
  const double hi = no_max ? 0 : w.float_arg(n, 2);
  if (lo == 0 && !no_max && hi == 6) return Act::kReLU6;
  if (lo == 0 && no_max && n.kind.rfind("aten::clamp", 0) == 0) return Act::kReLU;
  w.fail(n, "'" + n.kind + "' is supported only as ReLU6 (bounds 0 and 6)");
}

void op_activation(Walker& w, const TsNode& n) {
  static const std::unordered_map<std::string, Act> acts =
      {
          {"relu", Act::kReLU},
          {"relu6", Act::kReLU6},
          {"silu", Act::kSwish},
          {"hardswish", Act::kHSwish},
          {"sigmoid", Act::kSigmoid},
          {"hardsigmoid", Act::kSigmoid},  // no hard-sigmoid in the IR: the same elementwise cost class
      };
  const std::string op = Naming::op_short_name(n.kind);
  const Act act = (op == "hardtanh" || op == "clamp") ? clamp_act(w, n) : acts.at(op);
  const int x = w.layer(n, 0);
  bind(w, n, Sym::of_layer(w.net().add_activation(w.name(n), x, act), w.rank(n, 0)));
}

void op_add(Walker& w, const TsNode& n) {
  if (scalar_arithmetic(w, n)) return;
  const Sym& a = w.arg(n, 0);
  const Sym& b = w.arg(n, 1);
  if (a.kind != Sym::Kind::kLayer || b.kind != Sym::Kind::kLayer) {
    w.fail(n, "'" + n.kind + "' of " + a.describe() + " and " + b.describe() + " (only tensor + tensor)");
  }
  if (w.arg_count(n) > 2 && w.float_arg(n, 2) != 1) w.fail(n, "add with alpha != 1 is not supported");
  bind(w, n, Sym::of_layer(w.net().add_add(w.name(n), a.layer, b.layer), a.rank));
}

bool broadcast_of(const Shape& big, const Shape& small) {
  return small.n == big.n && small.h == 1 && small.w == 1 && small.c == big.c;
}

// Elementwise product of equal shapes, or the squeeze-and-excitation broadcast N x C x H x W * N x C x 1 x 1 in
// either order (the IR wants the broadcast operand second).
void op_mul(Walker& w, const TsNode& n) {
  if (scalar_arithmetic(w, n)) return;
  const Sym& a = w.arg(n, 0);
  const Sym& b = w.arg(n, 1);
  if (a.kind != Sym::Kind::kLayer || b.kind != Sym::Kind::kLayer) {
    w.fail(n, "'" + n.kind + "' of " + a.describe() + " and " + b.describe() + " (only tensor * tensor)");
  }
  const Shape& sa = w.shape(a.layer);
  const bool swap = sa != w.shape(b.layer) && broadcast_of(w.shape(b.layer), sa);
  const Sym& big = swap ? b : a;
  const int id = w.net().add_mul(w.name(n), big.layer, swap ? a.layer : b.layer);
  bind(w, n, Sym::of_layer(id, big.rank));
}

void op_identity(Walker& w, const TsNode& n) { w.set(n, 0, w.arg(n, 0)); }

}  // namespace

void add_elementwise_ops(OpTable& t) {
  for (const char* op : {"relu", "relu6", "silu", "hardswish", "sigmoid", "hardsigmoid", "hardtanh", "clamp"}) {
    t[std::string("aten::") + op] = op_activation;
    t[std::string("aten::") + op + "_"] = op_activation;
  }
  t["aten::add"] = op_add;
  t["aten::add_"] = op_add;
  t["aten::mul"] = op_mul;
  t["aten::mul_"] = op_mul;
  for (const char* op : {"aten::dropout", "aten::dropout_", "aten::feature_dropout", "aten::feature_dropout_",
                         "aten::alpha_dropout", "aten::alpha_dropout_", "aten::feature_alpha_dropout",
                         "aten::feature_alpha_dropout_", "aten::contiguous", "aten::clone", "aten::detach"}) {
    t[op] = op_identity;
  }
}

}  // namespace rp::traces::ts
