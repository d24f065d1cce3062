// Ops that PyTorch's exporter writes as several ONNX nodes, each recognized here as the one op it is, so that the
// IR gets one activation or one layer norm (and its cost), never the pieces:
//  - SiLU:        Mul(x, Sigmoid(x))
//  - hard-swish:  Mul(x, HardSigmoid(x))       (opset < 14 has no HardSwish)
//  - GELU:        Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5), or with the 0.5 applied to x first
//  - layer norm:  d = Sub(x, ReduceMean(x)); Div(d, Sqrt(Add(ReduceMean(Pow(d, 2)), eps))), then optionally
//                 Mul by a constant weight and Add a constant bias    (opset < 17 has no LayerNormalization)
// Every intermediate value must have one use (the pattern's next node), so nothing outside it is lost.
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

}  // namespace

void find_fusions(Translator& t, const std::vector<OxNode>& nodes) {
  for (const OxNode& n : nodes) {
    if (!n.domain.empty() || n.outputs.empty()) continue;
    if (n.op == "Erf") gelu(t, n);
    if (n.op == "ReduceMean") layer_norm(t, n);
  }
  for (const OxNode& n : nodes) {
    if (n.domain.empty() && n.op == "Mul") gated(t, n);
  }
}

}  // namespace rp::traces::onnx
