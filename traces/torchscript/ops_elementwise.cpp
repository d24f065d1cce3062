// Activations (each its own IR op: hardsigmoid is kHSigmoid, gelu kGELU, tanh kTanh), elementwise add / sub / mul /
// div with broadcasting, and ops that are the identity at inference (dropout, contiguous: data moves lazily where
// a consumer needs another layout, layout.h; casts: the IR has one element type).
#include <algorithm>
#include <string>
#include <unordered_map>

#include "traces/torchscript/layout.h"
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

// Activations keep their input's view (any rank and layout). Schemas: aten::relu / sigmoid / silu / hardswish /
// hardsigmoid / tanh (self); aten::gelu (self, str approximate); aten::hardtanh (self, min, max); aten::clamp
// (self, min?, max?).
void op_activation(Walker& w, const TsNode& n) {
  static const std::unordered_map<std::string, Act> acts = {
      {"relu", Act::kReLU},       {"relu6", Act::kReLU6}, {"silu", Act::kSwish}, {"hardswish", Act::kHSwish},
      {"sigmoid", Act::kSigmoid}, {"gelu", Act::kGELU},   {"tanh", Act::kTanh},  {"hardsigmoid", Act::kHSigmoid},
  };
  const std::string op = Naming::op_short_name(n.kind);
  const Act act = (op == "hardtanh" || op == "clamp") ? clamp_act(w, n) : acts.at(op);
  View v = view_arg(w, n, 0);
  if (v.expanded) w.fail(n, "'" + n.kind + "' of an expanded tensor");
  v.layer = w.net().add_activation(w.name(n), v.layer, act);
  bind(w, n, sym_of(w, v));
}

// A constant tensor (a learned parameter: layer scale, position embedding, class token; or one derived at load) as
// an IR constant stored in `order` (created in place: a constant has no layout to move), `learned` of its elements
// counted as parameters.
View constant_view(Walker& w, const TsNode& n, std::vector<int64_t> sizes, const std::vector<int>& order,
                   int64_t learned) {
  View v;
  v.dims = std::move(sizes);
  v.order = order;
  const Shape shape = default_shape(storage_dims(v));
  v.layer =
      w.net().add_constant(w.name_as(n, "constant"), shape, learned >= 0 && learned < shape.elements() ? learned : -1);
  return v;
}

// `v` with leading dims of size 1 up to `rank` (PyTorch broadcasting aligns the trailing dims).
View padded(Walker& w, const TsNode& n, View v, int rank) {
  if (v.rank() >= rank) return v;
  std::vector<int64_t> to(static_cast<size_t>(rank - v.rank()), 1);
  if (v.expanded) {
    std::vector<int64_t> base = to;
    base.insert(base.end(), v.base.begin(), v.base.end());
    to.insert(to.end(), v.dims.begin(), v.dims.end());
    View out = v;
    out.dims = to;
    out.base = base;
    out.order.clear();
    for (int i = 0; i < rank - v.rank(); ++i) out.order.push_back(i);
    for (int d : v.order) out.order.push_back(d + rank - v.rank());
    return out;
  }
  to.insert(to.end(), v.dims.begin(), v.dims.end());
  return reshaped(w, n, v, to);
}

// The layer of operand `v` (dims `dims`: its own, or its base when expanded) stored in `order` in its default
// shape, for a broadcasting add / mul.
int broadcast_operand(Walker& w, const TsNode& n, View v, const std::vector<int>& order) {
  if (v.expanded) {
    v.dims = v.base;
    v.expanded = false;
  }
  return materialize(w, n, v, order);
}

// Consecutive dims along which b is broadcast alike (b is 1 where a is not, or b equals a) merged into one:
// [B, nW, heads, S, S] and [1, nW, 1, S, S] -> [B, nW, heads, S*S] and [1, nW, 1, S*S]. Dims of size 1 in a
// join any run.
void grouped(const std::vector<int64_t>& a, const std::vector<int64_t>& b, std::vector<int64_t>& ta,
             std::vector<int64_t>& tb) {
  int last = -1;  // the run's kind: 0 b equal to a, 1 b broadcast
  for (size_t i = 0; i < a.size(); ++i) {
    const int kind = a[i] == 1 ? last : (b[i] == a[i] ? 0 : 1);
    if (!ta.empty() && (kind == last || a[i] == 1)) {
      ta.back() *= a[i];
      tb.back() *= b[i];
    } else {
      ta.push_back(a[i]);
      tb.push_back(b[i]);
    }
    if (kind >= 0) last = kind;
  }
}

// Tensor (op) tensor with PyTorch broadcasting; sub is an add and div a mul in the IR (one elementwise pass each,
// the same cost class). A constant operand becomes an IR constant (its elements count as parameters).
void tensor_binary(Walker& w, const TsNode& n, bool is_add) {
  const Sym& sa = w.arg(n, 0);
  const Sym& sb = w.arg(n, 1);
  const auto is_const = [](const Sym& s) { return s.kind == Sym::Kind::kTensorConst; };
  View a = is_const(sa) ? View{} : view_of(w, n, sa);
  View b = is_const(sb) ? View{} : view_of(w, n, sb);
  const auto rank_of = [&](const Sym& s, const View& v) { return is_const(s) ? s.sizes.size() : v.dims.size(); };
  const int rank = static_cast<int>(std::max(rank_of(sa, a), rank_of(sb, b)));
  const View* lead_src = sa.kind == Sym::Kind::kLayer ? &a : &b;
  // Constants are created in the lead operand's layout.
  if (is_const(sa) || is_const(sb)) {
    const Sym& c = is_const(sa) ? sa : sb;
    const View lead = padded(w, n, *lead_src, rank);
    std::vector<int64_t> sizes(static_cast<size_t>(rank) - c.sizes.size(), 1);
    sizes.insert(sizes.end(), c.sizes.begin(), c.sizes.end());
    View k = constant_view(w, n, sizes, lead.order, c.learned);
    (is_const(sa) ? a : b) = k;
    (is_const(sa) ? b : a) = lead;
  }
  a = padded(w, n, a, rank);
  b = padded(w, n, b, rank);
  std::vector<int64_t> out(static_cast<size_t>(rank));
  for (size_t i = 0; i < out.size(); ++i) {
    const int64_t x = a.dims[i], y = b.dims[i];
    if (x != y && x != 1 && y != 1) w.fail(n, "'" + n.kind + "' of " + sizes_str(a.dims) + " and " + sizes_str(b.dims));
    out[i] = std::max(x, y);
  }
  const auto full = [&](const View& v) { return !v.expanded && v.dims == out; };
  if (!full(a) && full(b)) std::swap(a, b);  // the IR wants the broadcast operand second
  if (!full(a))
    w.fail(n, "'" + n.kind + "' of two broadcast operands " + sizes_str(a.dims) + " and " + sizes_str(b.dims));
  if (rank > 4 && a.dims != b.dims) {
    // Leading dims along which b is 1 merged into one (free when a stores them in order): a rank-4 broadcast.
    const size_t m = static_cast<size_t>(rank - 3);
    std::vector<int64_t> ta, tb;
    if (std::any_of(b.dims.begin(), b.dims.begin() + static_cast<long>(m), [](int64_t d) { return d != 1; })) {
      grouped(a.dims, b.dims, ta, tb);  // e.g. Swin's mask [1, nW, 1, S, S] on scores [B, nW, heads, S, S]
    } else {
      ta.assign(a.dims.begin() + static_cast<long>(m) - 1, a.dims.end());
      tb.assign(b.dims.begin() + static_cast<long>(m) - 1, b.dims.end());
      for (size_t d = 0; d + 1 < m; ++d) ta[0] *= a.dims[d];
    }
    if (b.expanded || ta.size() > 4) w.fail(n, "a broadcast of rank-" + std::to_string(rank) + " tensors");
    const View a4 = reshaped(w, n, a, ta), b4 = reshaped(w, n, b, tb);
    View y = a4;
    y.layer = is_add
                  ? w.net().add_add(w.name(n), materialize(w, n, a4, a4.order), broadcast_operand(w, n, b4, a4.order))
                  : w.net().add_mul(w.name(n), materialize(w, n, a4, a4.order), broadcast_operand(w, n, b4, a4.order));
    return bind(w, n, sym_of(w, reshaped(w, n, y, out)));
  }
  const int la = broadcast_operand(w, n, a, a.order);
  const int lb =
      rank > 4 ? as_shape(w, n, broadcast_operand(w, n, b, a.order), w.shape(la)) : broadcast_operand(w, n, b, a.order);
  View y = a;
  y.layer = is_add ? w.net().add_add(w.name(n), la, lb) : w.net().add_mul(w.name(n), la, lb);
  bind(w, n, sym_of(w, y));
}

// A tensor scaled by or shifted by a number. A scale whose only use is a matmul is folded into it (attention's
// q * d^-0.5, as attention kernels fold it); otherwise a kMul / kAdd with a one-element constant.
void scalar_binary(Walker& w, const TsNode& n, const Sym& x, bool is_add) {
  if (!is_add && n.outputs.size() == 1 && w.uses(n.outputs[0]).size() == 1) {
    const std::string& user = w.uses(n.outputs[0])[0]->kind;
    if (user == "aten::matmul" || user == "aten::bmm") return bind(w, n, x);
  }
  View v = view_of(w, n, x);
  if (v.expanded) w.fail(n, "'" + n.kind + "' of an expanded tensor");
  const int c = w.net().add_constant(w.name_as(n, "scalar"), Shape{1, 1, 1, 1}, 0);  // a number: nothing learned
  v.layer = is_add ? w.net().add_add(w.name(n), v.layer, c) : w.net().add_mul(w.name(n), v.layer, c);
  bind(w, n, sym_of(w, v));
}

// aten::add / sub (self, other, alpha), aten::mul / div (self, other) and their in-place forms, also rsub.
void binary(Walker& w, const TsNode& n, bool is_add) {
  if (scalar_arithmetic(w, n)) return;
  const Sym& a = w.arg(n, 0);
  const Sym& b = w.arg(n, 1);
  if (is_add && w.arg_count(n) > 2 && w.arg(n, 2).is_scalar() && w.float_arg(n, 2) != 1 &&
      a.kind == Sym::Kind::kLayer && b.kind == Sym::Kind::kLayer) {
    w.fail(n, "add with alpha != 1 is not supported");
  }
  const bool a_tensor = a.kind == Sym::Kind::kLayer, b_tensor = b.kind == Sym::Kind::kLayer;
  const bool a_num = !a_tensor && a.is_scalar(), b_num = !b_tensor && b.is_scalar();
  if (a_tensor && b_num) return scalar_binary(w, n, a, is_add);
  if (b_tensor && a_num) return scalar_binary(w, n, b, is_add);
  const bool a_ok = a_tensor || a.kind == Sym::Kind::kTensorConst, b_ok = b_tensor || b.kind == Sym::Kind::kTensorConst;
  if (!a_ok || !b_ok || (!a_tensor && !b_tensor)) {
    w.fail(n, "'" + n.kind + "' of " + a.describe() + " and " + b.describe() + " (only tensor and tensor or number)");
  }
  tensor_binary(w, n, is_add);
}

void op_add(Walker& w, const TsNode& n) { binary(w, n, true); }
void op_mul(Walker& w, const TsNode& n) { binary(w, n, false); }

void op_identity(Walker& w, const TsNode& n) { w.set(n, 0, w.arg(n, 0)); }

// aten::clamp_min (self, Scalar min) with a bound in [0, 1e-3] (F.normalize's clamp of a norm at eps): a max with a
// number, one operation per element like max(x, 0), simulated as a relu (its own name: "q/clamp_min").
void op_clamp_min(Walker& w, const TsNode& n) {
  const double lo = w.float_arg(n, 1);
  if (!(lo >= 0 && lo <= 1e-3)) w.fail(n, "clamp_min to " + std::to_string(lo) + " (only a bound in [0, 1e-3])");
  View v = view_arg(w, n, 0);
  if (v.expanded) w.fail(n, "'" + n.kind + "' of an expanded tensor");
  v.layer = w.net().add_activation(w.name(n), v.layer, Act::kReLU);
  w.set(n, 0, sym_of(w, v));
}

}  // namespace

void add_elementwise_ops(OpTable& t) {
  for (const char* op :
       {"relu", "relu6", "silu", "hardswish", "sigmoid", "hardsigmoid", "hardtanh", "clamp", "gelu", "tanh"}) {
    t[std::string("aten::") + op] = op_activation;
    t[std::string("aten::") + op + "_"] = op_activation;
  }
  t["aten::clamp_min"] = op_clamp_min;
  t["aten::add"] = op_add;
  t["aten::add_"] = op_add;
  t["aten::mul"] = op_mul;
  t["aten::mul_"] = op_mul;
  t["aten::sub"] = op_add;
  t["aten::sub_"] = op_add;
  t["aten::rsub"] = op_add;
  t["aten::div"] = op_mul;
  t["aten::div_"] = op_mul;
  for (const char* op :
       {"aten::dropout", "aten::dropout_", "aten::feature_dropout", "aten::feature_dropout_", "aten::alpha_dropout",
        "aten::alpha_dropout_", "aten::feature_alpha_dropout", "aten::feature_alpha_dropout_", "aten::contiguous",
        "aten::clone", "aten::detach", "aten::to", "aten::type_as"}) {
    t[op] = op_identity;
  }
}

}  // namespace rp::traces::ts
