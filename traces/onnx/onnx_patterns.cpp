// Ops that PyTorch's exporter writes as several ONNX nodes, each recognized here as the one op it is, so that the
// IR gets one activation or one layer norm (and its cost), never the pieces:
//  - SiLU:        Mul(x, Sigmoid(x))
//  - hard-swish:  Mul(x, HardSigmoid(x))       (opset < 14 has no HardSwish)
//  - GELU:        Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5), or with the 0.5 applied to x first
//  - layer norm:  d = Sub(x, ReduceMean(x)); Div(d, Sqrt(Add(ReduceMean(Pow(d, 2)), eps))), then optionally
//                 Mul by a constant weight and Add a constant bias    (opset < 17 has no LayerNormalization)
//  - a linear layer on a flattened tensor: Reshape(x, [M, K]) -> Gemm -> Reshape(S) [-> Transpose that moves only
//                 dims of size 1], how nn.MultiheadAttention's out_proj exports: one linear on x viewed as the final
//                 shape F (S or S transposed, F[-1] = N) with K last, [F[0], .., F[-2], K]; the last Reshape and the
//                 Transpose are then views of the linear's output (every step keeps the elements' row-major order,
//                 so the data is the same); the network gets the linear as TorchScript's fused attention gives it,
//                 not a 2-D [M, K] dense followed by a reshape.
//  - attention:   MatMul(Softmax(MatMul(q * D^-0.5, Transpose(k0))), v) over the last axis, q [.., S, D], the
//                 Transpose putting k's D before S (nn.MultiheadAttention's bmm, softmax, bmm): one
//                 aten::scaled_dot_product_attention(q, k, v) (the op TorchScript's fused attention gives), k the
//                 same Transpose with its last two dims swapped back. The scale may be a Div by sqrt(D) or a Mul by
//                 1 / sqrt(D), on q; any other scale leaves the pieces as they are.
//  - roll:        Concat(Slice(y, a, end), Slice(y, 0, a)) along d, y = the same of x along d' ({d, d'} = {1, 2}, the
//                 same a): torch.roll(x, shifts, dims=(1, 2)) as the exporter writes it (Swin's cyclic shift), one
//                 aten::roll(x, [s, s], [1, 2]), s = -a (or size - a, whichever is smaller in magnitude).
// Every intermediate value must have one use (the pattern's next node), so nothing outside it is lost.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "traces/onnx/translator.h"

namespace rp::traces::onnx {
namespace {

bool near(double a, double b) { return std::fabs(a - b) <= 1e-4 * std::fabs(b); }

// The sole consumer of `value` when it is a `op` node; nullptr otherwise.
const OxNode* next(const Translator& t, const std::string& value, const char* op) {
  if (!t.single_use(value)) return nullptr;
  const OxNode* c = t.consumers(value)[0];
  return c->op == op && c->domain.empty() ? c : nullptr;
}

// The input of a two-input node other than `one`; "" unless `one` is one of its inputs.
std::string other(const OxNode& n, const std::string& one) {
  if (n.inputs.size() != 2) return "";
  if (n.inputs[0] == one) return n.inputs[1];
  return n.inputs[1] == one ? n.inputs[0] : "";
}

bool scalar_is(const Translator& t, const std::string& name, double v) {
  double x = 0;
  return t.scalar(name, x) && near(x, v);
}

// Mul(x, Sigmoid(x)) -> silu; Mul(x, HardSigmoid(x)) -> hardswish.
void gated(Translator& t, const OxNode& mul) {
  for (size_t side = 0; side < 2 && mul.inputs.size() == 2; ++side) {
    const std::string& x = mul.inputs[1 - side];
    for (const char* gate : {"Sigmoid", "HardSigmoid"}) {
      const OxNode* g = t.producer(mul.inputs[side], gate);
      if (!g || g->inputs.empty() || g->inputs[0] != x || !t.single_use(g->outputs[0])) continue;
      if (g->op == std::string("HardSigmoid") &&
          !(near(t.float_attr(*g, "alpha", 0.2), 1.0 / 6) && t.float_attr(*g, "beta", 0.5) == 0.5)) {
        continue;
      }
      const char* kind = g->op == std::string("Sigmoid") ? "aten::silu" : "aten::hardswish";
      t.fuse(&mul, {kind, {t.id(x)}}, {g});
      return;
    }
  }
}

void gelu(Translator& t, const OxNode& erf) {
  const std::string& scaled = erf.inputs.empty() ? "" : erf.inputs[0];
  const OxNode* div = t.producer(scaled, "Div");
  const OxNode* pre = div ? div : t.producer(scaled, "Mul");
  if (!pre || pre->inputs.size() != 2 || !t.single_use(scaled)) return;
  const std::string x = pre->inputs[0];
  if (!(div ? scalar_is(t, pre->inputs[1], std::sqrt(2.0)) : scalar_is(t, pre->inputs[1], std::sqrt(0.5)))) return;
  const OxNode* add = next(t, erf.outputs[0], "Add");
  if (!add || !scalar_is(t, other(*add, erf.outputs[0]), 1)) return;
  const OxNode* m1 = next(t, add->outputs[0], "Mul");
  if (!m1) return;
  const std::string factor = other(*m1, add->outputs[0]);
  if (factor == x) {  // (x * (1 + erf)) * 0.5
    const OxNode* m2 = next(t, m1->outputs[0], "Mul");
    if (m2 && scalar_is(t, other(*m2, m1->outputs[0]), 0.5)) {
      t.fuse(m2, {"aten::gelu", {t.id(x), t.str_const("none")}}, {pre, &erf, add, m1});
    }
    return;
  }
  const OxNode* half = t.producer(factor, "Mul");  // (x * 0.5) * (1 + erf)
  if (half && t.single_use(factor) && scalar_is(t, other(*half, x), 0.5)) {
    t.fuse(m1, {"aten::gelu", {t.id(x), t.str_const("none")}}, {pre, &erf, add, half});
  }
}

bool last_axis(const Translator& t, const OxNode& reduce, const std::string& x) {
  const std::vector<int64_t> axes = t.ints_attr(reduce, "axes", {});
  const std::vector<int64_t>* s = t.shape(x);
  if (axes.size() != 1 || !s || s->empty()) return false;
  const int64_t r = static_cast<int64_t>(s->size());
  return (axes[0] == -1 || axes[0] == r - 1) && t.int_attr(reduce, "keepdims", 1) == 1;
}

void layer_norm(Translator& t, const OxNode& mean) {
  if (mean.inputs.empty()) return;
  const std::string x = mean.inputs[0];
  if (!last_axis(t, mean, x)) return;
  const OxNode* sub = next(t, mean.outputs[0], "Sub");
  if (!sub || sub->inputs.size() != 2 || sub->inputs[0] != x || sub->inputs[1] != mean.outputs[0]) return;
  const std::vector<const OxNode*>& uses = t.consumers(sub->outputs[0]);
  if (uses.size() != 2) return;
  const OxNode* pow = uses[0]->op == "Pow" ? uses[0] : uses[1];
  const OxNode* div = uses[0]->op == "Div" ? uses[0] : uses[1];
  if (pow->op != "Pow" || div->op != "Div" || pow->inputs.size() != 2 || !scalar_is(t, pow->inputs[1], 2)) return;
  const OxNode* var = next(t, pow->outputs[0], "ReduceMean");
  if (!var || !last_axis(t, *var, pow->outputs[0])) return;
  const OxNode* add = next(t, var->outputs[0], "Add");
  double eps = 0;
  if (!add || !t.scalar(other(*add, var->outputs[0]), eps)) return;
  const OxNode* sqrt = next(t, add->outputs[0], "Sqrt");
  if (!sqrt || !t.single_use(sqrt->outputs[0]) || div->inputs[0] != sub->outputs[0] ||
      div->inputs[1] != sqrt->outputs[0]) {
    return;
  }
  const int64_t d = t.shape(x)->back();
  std::vector<const OxNode*> parts = {&mean, sub, pow, var, add, sqrt};
  const OxNode* last = div;
  std::string weight, bias;
  auto vector_const = [&](const std::string& name) {
    const OxTensor* c = t.constant_of(name);
    return c && c->dims == std::vector<int64_t>{d};
  };
  const OxNode* mul = next(t, div->outputs[0], "Mul");
  if (mul && vector_const(other(*mul, div->outputs[0]))) {
    weight = other(*mul, div->outputs[0]);
    parts.push_back(last);
    last = mul;
    const OxNode* plus = next(t, mul->outputs[0], "Add");
    if (plus && vector_const(other(*plus, mul->outputs[0]))) {
      bias = other(*plus, mul->outputs[0]);
      parts.push_back(last);
      last = plus;
    }
  }
  t.fuse(last,
         {"aten::layer_norm",
          {t.id(x), t.ints_const({d}), t.id(weight), t.id(bias), t.float_const(eps), t.bool_const(true)}},
         parts);
}

int64_t product(const std::vector<int64_t>& v, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end && i < v.size(); ++i) p *= v[i];
  return p;
}

// The dims of `s` other than 1, in order.
std::vector<int64_t> real(const std::vector<int64_t>& s) {
  std::vector<int64_t> out;
  for (int64_t d : s) {
    if (d != 1) out.push_back(d);
  }
  return out;
}

void flattened_linear(Translator& t, const OxNode& flat) {
  std::vector<int64_t> mk, shape;
  const std::vector<int64_t>* from = flat.inputs.empty() ? nullptr : t.shape(flat.inputs[0]);
  if (flat.inputs.size() < 2 || !from || !t.ints(flat.inputs[1], mk) || mk.size() != 2 || mk[0] <= 0 || mk[1] <= 0) {
    return;
  }
  const OxNode* gemm = next(t, flat.outputs[0], "Gemm");
  if (!gemm || gemm->inputs[0] != flat.outputs[0] || t.int_attr(*gemm, "transA", 0) != 0) return;
  const std::vector<int64_t>* mn = t.shape(gemm->outputs[0]);
  const OxNode* view = next(t, gemm->outputs[0], "Reshape");
  if (!mn || mn->size() != 2 || !view || view->inputs[0] != gemm->outputs[0] || view->inputs.size() < 2 ||
      !t.ints(view->inputs[1], shape) || t.int_attr(*view, "allowzero", 0) != 0) {
    return;
  }
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && i < 2) shape[i] = (*mn)[i];
  }
  if (shape.size() < 2 || shape.back() != (*mn)[1] || product(shape, 0, shape.size() - 1) != mk[0]) return;
  const OxNode* last = view;
  const OxNode* tr = next(t, view->outputs[0], "Transpose");
  if (tr) {
    const std::vector<int64_t> perm = t.ints_attr(*tr, "perm", {});
    std::vector<int64_t> moved;
    for (int64_t p : perm)
      moved.push_back(p >= 0 && p < static_cast<int64_t>(shape.size()) ? shape[static_cast<size_t>(p)] : -1);
    if (perm.size() == shape.size() && real(moved) == real(shape)) {
      shape = moved;
      last = tr;
    }
  }
  std::vector<int64_t> to(shape.begin(), shape.end() - 1);
  to.push_back(mk[1]);
  t.fuse(&flat, {"aten::reshape", {t.id(flat.inputs[0]), t.ints_const(t.at_batch(to, *from))}}, {});
  std::vector<const OxNode*> absorbed;
  if (last != view) absorbed.push_back(view);
  t.fuse(last, {"aten::contiguous", {t.id(gemm->outputs[0]), t.int_const(0)}}, absorbed);
}

void attention(Translator& t, const OxNode& softmax) {
  const OxNode* scores = t.producer(softmax.inputs.empty() ? "" : softmax.inputs[0], "MatMul");
  const OxNode* av = next(t, softmax.outputs[0], "MatMul");
  const std::vector<int64_t>* s = t.shape(softmax.inputs.empty() ? "" : softmax.inputs[0]);
  if (!scores || !av || !s || av->inputs[0] != softmax.outputs[0] || !t.single_use(scores->outputs[0])) return;
  const int64_t axis = t.int_attr(softmax, "axis", -1);
  if (axis != -1 && axis != static_cast<int64_t>(s->size()) - 1) return;
  const OxNode* scale = t.producer(scores->inputs[0], "Div");
  if (!scale) scale = t.producer(scores->inputs[0], "Mul");
  const OxNode* kt = t.producer(scores->inputs[1], "Transpose");
  if (!scale || !kt || !t.single_use(scale->outputs[0]) || !t.single_use(kt->outputs[0]) || scale->inputs.size() != 2) {
    return;
  }
  const std::string q = scale->inputs[0];
  const std::vector<int64_t>* qs = t.shape(q);
  double c = 0;
  if (!qs || qs->empty() || (*qs)[qs->size() - 1] <= 0 || !t.scalar(scale->inputs[1], c)) return;
  const double root = std::sqrt(static_cast<double>(qs->back()));
  if (!(scale->op == "Div" ? near(c, root) : near(c, 1 / root))) return;
  std::vector<int64_t> perm = t.ints_attr(*kt, "perm", {});
  if (perm.size() < 3 || perm.size() > 4 || perm.size() != qs->size()) return;
  std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
  // Rank-3 operands [B*H, S, D] get a leading 1 (views, no data moved) so that the attention reads [1, B*H, S, D]
  // as TorchScript's [B, H, S, D] heads, and its output loses it again.
  const bool lift = perm.size() == 3;
  Fused f;
  auto step = [&](const std::string& kind, std::vector<int> inputs) {
    f.before.push_back({kind, std::move(inputs), t.fresh()});
    return f.before.back().output;
  };
  auto lifted = [&](int x) { return lift ? step("aten::unsqueeze", {x, t.int_const(0)}) : x; };
  const int uq = lifted(t.id(q));
  const int uk = lifted(step("aten::permute", {t.id(kt->inputs[0]), t.ints_const(perm)}));
  const int uv = lifted(t.id(av->inputs[1]));
  const std::vector<int> args = {uq, uk, uv, t.none(), t.float_const(0), t.bool_const(false)};
  if (lift) {
    const int att = step("aten::scaled_dot_product_attention", args);
    f.kind = "aten::squeeze";
    f.inputs = {att, t.int_const(0)};
  } else {
    f.kind = "aten::scaled_dot_product_attention";
    f.inputs = args;
  }
  t.fuse(av, std::move(f), {scale, kt, scores, &softmax});
}

// The axis and split point a of Concat(Slice(y, a, end), Slice(y, 0, a)) along one axis of y; false otherwise.
bool rotation(const Translator& t, const OxNode& cat, std::string& y, int64_t& axis, int64_t& a,
              std::vector<const OxNode*>& parts) {
  if (cat.inputs.size() != 2) return false;
  const OxNode* hi = t.producer(cat.inputs[0], "Slice");
  const OxNode* lo = t.producer(cat.inputs[1], "Slice");
  if (!hi || !lo || hi->inputs.size() != 4 || lo->inputs.size() != 4 || hi->inputs[0] != lo->inputs[0]) return false;
  if (!t.single_use(cat.inputs[0]) || !t.single_use(cat.inputs[1])) return false;
  const std::vector<int64_t>* s = t.shape(hi->inputs[0]);
  std::vector<int64_t> b0, e0, x0, b1, e1, x1;
  if (!s || !t.ints(hi->inputs[1], b0) || !t.ints(hi->inputs[2], e0) || !t.ints(hi->inputs[3], x0) ||
      !t.ints(lo->inputs[1], b1) || !t.ints(lo->inputs[2], e1) || !t.ints(lo->inputs[3], x1) || b0.size() != 1 ||
      e0.size() != 1 || x0.size() != 1 || b1.size() != 1 || e1.size() != 1 || x1 != x0) {
    return false;
  }
  const int64_t rank = static_cast<int64_t>(s->size());
  axis = x0[0] < 0 ? x0[0] + rank : x0[0];
  if (axis < 0 || axis >= rank || t.int_attr(cat, "axis", 0) % rank != axis % rank) return false;
  const int64_t dim = (*s)[static_cast<size_t>(axis)];
  a = b0[0] < 0 ? b0[0] + dim : b0[0];
  if (dim <= 0 || a <= 0 || a >= dim || e0[0] < dim || b1[0] != 0 || (e1[0] < 0 ? e1[0] + dim : e1[0]) != a) {
    return false;
  }
  y = hi->inputs[0];
  parts.push_back(hi);
  parts.push_back(lo);
  return true;
}

void roll(Translator& t, const OxNode& outer) {
  std::string y, x;
  int64_t d1 = 0, a1 = 0, d2 = 0, a2 = 0;
  std::vector<const OxNode*> parts;
  if (!rotation(t, outer, y, d2, a2, parts)) return;
  const OxNode* inner = t.producer(y, "Concat");
  if (!inner || t.consumers(y).size() != 2 || !rotation(t, *inner, x, d1, a1, parts)) return;
  const std::vector<int64_t>* s = t.shape(x);
  if (!s || s->size() != 4 || a1 != a2 || std::min(d1, d2) != 1 || std::max(d1, d2) != 2 || (*s)[1] != (*s)[2]) return;
  const int64_t dim = (*s)[1];
  const int64_t shift = a1 <= dim - a1 ? -a1 : dim - a1;
  parts.push_back(inner);
  t.fuse(&outer, {"aten::roll", {t.id(x), t.ints_const({shift, shift}), t.ints_const({1, 2})}}, parts);
}

}  // namespace

void find_fusions(Translator& t, const std::vector<OxNode>& nodes) {
  for (const OxNode& n : nodes) {
    if (!n.domain.empty() || n.outputs.empty()) continue;
    if (n.op == "Erf") gelu(t, n);
    if (n.op == "ReduceMean") layer_norm(t, n);
    if (n.op == "Reshape") flattened_linear(t, n);
    if (n.op == "Softmax") attention(t, n);
    if (n.op == "Concat") roll(t, n);
  }
  for (const OxNode& n : nodes) {
    if (n.domain.empty() && n.op == "Mul") gated(t, n);
  }
}

}  // namespace rp::traces::onnx
