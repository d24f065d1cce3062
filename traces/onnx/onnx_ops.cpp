// One handler per supported ONNX op: each emits the aten:: node(s) of the PyTorch op it stands for, arguments in
// the order of the aten schema the walker's handlers read (traces/torchscript/ops_*.cpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "traces/onnx/translator.h"

namespace rp::traces::onnx {
namespace {

using T = Translator;

int in(T& t, const OxNode& n, size_t i) {
  if (i >= n.inputs.size() || n.inputs[i].empty()) t.fail(n, "input " + std::to_string(i) + " is missing");
  return t.id(n.inputs[i]);
}
int opt_in(T& t, const OxNode& n, size_t i) { return i < n.inputs.size() ? t.id(n.inputs[i]) : t.none(); }
int out(T& t, const OxNode& n) { return t.id(n.outputs.at(0)); }

// Only the first output may be used (Dropout's mask, MaxPool's indices are not simulated).
void only_first_output(T& t, const OxNode& n) {
  for (size_t i = 1; i < n.outputs.size(); ++i) {
    if (!n.outputs[i].empty() && !t.consumers(n.outputs[i]).empty()) {
      t.fail(n, "output " + std::to_string(i) + " ('" + n.outputs[i] + "') is used; only the first is supported");
    }
  }
}

// pads [top, left, bottom, right] of a 2-D window as PyTorch's symmetric [pad_h, pad_w].
std::vector<int64_t> symmetric_pads(T& t, const OxNode& n) {
  const std::string auto_pad = t.str_attr(n, "auto_pad", "NOTSET");
  if (auto_pad == "VALID") return {0, 0};
  if (auto_pad != "NOTSET") t.fail(n, "auto_pad '" + auto_pad + "' (only NOTSET or VALID with explicit pads)");
  const std::vector<int64_t> p = t.ints_attr(n, "pads", {0, 0, 0, 0});
  if (p.size() != 4) t.fail(n, "pads of " + std::to_string(p.size()) + " values (only 2-D windows)");
  if (p[0] != p[2] || p[1] != p[3]) {
    t.fail(n, "asymmetric pads [" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + ", " + std::to_string(p[2]) +
                  ", " + std::to_string(p[3]) + "] (only equal padding at both ends)");
  }
  return {p[0], p[1]};
}

std::vector<int64_t> pair_attr(T& t, const OxNode& n, const std::string& key, std::vector<int64_t> fallback) {
  std::vector<int64_t> v = t.ints_attr(n, key, std::move(fallback));
  if (v.size() != 2) t.fail(n, "'" + key + "' of " + std::to_string(v.size()) + " values (only 2-D)");
  return v;
}

// A Pad's pads: the `pads` attribute (opset < 11), else its constant second input; false when computed at run time.
bool pads_of(T& t, const OxNode& pad, std::vector<int64_t>& pads) {
  pads = t.ints_attr(pad, "pads", {});
  return !pads.empty() || (pad.inputs.size() > 1 && t.ints(pad.inputs[1], pads));
}

// The [pad_h, pad_w] of a constant zero Pad that feeds `n` (see op_pad), or {0, 0}.
std::vector<int64_t> absorbed_pads(T& t, const OxNode& n) {
  const OxNode* pad = n.inputs.empty() ? nullptr : t.producer(n.inputs[0], "Pad");
  std::vector<int64_t> p;
  if (!pad || !pads_of(t, *pad, p) || p.size() != 8) return {0, 0};
  return {p[2], p[3]};
}

std::vector<int64_t> plus(std::vector<int64_t> a, const std::vector<int64_t>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) a[i] += b[i];
  return a;
}

void op_conv(T& t, const OxNode& n) {  // aten::_convolution(x, w, b, stride, padding, dilation, transposed, ...)
  const int x = in(t, n, 0), w = in(t, n, 1), b = opt_in(t, n, 2);
  const std::vector<int> args = {x,
                                 w,
                                 b,
                                 t.ints_const(pair_attr(t, n, "strides", {1, 1})),
                                 t.ints_const(plus(symmetric_pads(t, n), absorbed_pads(t, n))),
                                 t.ints_const(pair_attr(t, n, "dilations", {1, 1})),
                                 t.bool_const(false),
                                 t.ints_const({0, 0}),
                                 t.int_const(t.int_attr(n, "group", 1)),
                                 t.bool_const(false),
                                 t.bool_const(false),
                                 t.bool_const(true),
                                 t.bool_const(true)};
  t.emit("aten::_convolution", args, {out(t, n)}, n);
}

// alpha * A B' + beta * C with a constant B: alpha and beta fold into the weights, so only their shapes matter.
void op_gemm(T& t, const OxNode& n) {  // aten::linear(x, weight [out, in], bias?)
  if (t.int_attr(n, "transA", 0) != 0) t.fail(n, "Gemm with transA = 1 (only x @ W)");
  const OxTensor* w = t.constant_of(n.inputs.size() > 1 ? n.inputs[1] : "");
  if (!w || w->dims.size() != 2) t.fail(n, "Gemm with a non-constant or non-2-D B (only a weight matrix)");
  ts::Sym weight;
  weight.kind = ts::Sym::Kind::kTensorConst;
  weight.sizes = t.int_attr(n, "transB", 0) ? w->dims : std::vector<int64_t>{w->dims[1], w->dims[0]};
  const bool bias = n.inputs.size() > 2 && !n.inputs[2].empty() && t.float_attr(n, "beta", 1) != 0;
  t.emit("aten::linear", {in(t, n, 0), t.constant(weight), bias ? t.id(n.inputs[2]) : t.none()}, {out(t, n)}, n);
}

void op_matmul(T& t, const OxNode& n) { t.emit("aten::matmul", {in(t, n, 0), in(t, n, 1)}, {out(t, n)}, n); }

void op_binary(T& t, const OxNode& n) {
  const int a = in(t, n, 0), b = in(t, n, 1);
  if (n.op == "Add" || n.op == "Sub") {
    t.emit(n.op == "Add" ? "aten::add" : "aten::sub", {a, b, t.int_const(1)}, {out(t, n)}, n);
  } else {
    t.emit(n.op == "Mul" ? "aten::mul" : "aten::div", {a, b}, {out(t, n)}, n);
  }
}

void op_unary(T& t, const OxNode& n) {
  static const std::map<std::string, std::string> kinds = {
      {"Relu", "aten::relu"}, {"Sigmoid", "aten::sigmoid"}, {"Tanh", "aten::tanh"}, {"HardSwish", "aten::hardswish"}};
  t.emit(kinds.at(n.op), {in(t, n, 0)}, {out(t, n)}, n);
}

// PyTorch's hardsigmoid is relu6(x + 3) / 6: ONNX HardSigmoid with alpha 1/6 and beta 1/2.
void op_hard_sigmoid(T& t, const OxNode& n) {
  const double alpha = t.float_attr(n, "alpha", 0.2), beta = t.float_attr(n, "beta", 0.5);
  if (std::fabs(alpha - 1.0 / 6) > 1e-6 || beta != 0.5) {
    t.fail(n, "HardSigmoid with alpha " + std::to_string(alpha) + ", beta " + std::to_string(beta) +
                  " (only PyTorch's hardsigmoid: alpha 1/6, beta 0.5)");
  }
  t.emit("aten::hardsigmoid", {in(t, n, 0)}, {out(t, n)}, n);
}

// Clip(x, min, max) as aten::clamp (the walker maps clamp(0, 6) to ReLU6 and clamp(0) to ReLU).
void op_clip(T& t, const OxNode& n) {
  int bound[2];
  for (int i = 0; i < 2; ++i) {
    const std::string& name = n.inputs.size() > static_cast<size_t>(i + 1) ? n.inputs[static_cast<size_t>(i + 1)] : "";
    double v = 0;
    if (t.opset() < 11) {
      const double inf = std::numeric_limits<double>::infinity();
      v = t.float_attr(n, i ? "max" : "min", i ? inf : -inf);
      bound[i] = std::isinf(v) ? t.none() : t.float_const(v);
    } else if (name.empty()) {
      bound[i] = t.none();
    } else if (t.scalar(name, v)) {
      bound[i] = t.float_const(v);
    } else {
      t.fail(n, std::string("a non-constant ") + (i ? "max" : "min") + " bound");
    }
  }
  t.emit("aten::clamp", {in(t, n, 0), bound[0], bound[1]}, {out(t, n)}, n);
}

void op_softmax(T& t, const OxNode& n) {  // aten::softmax(x, dim, dtype)
  const int64_t rank = static_cast<int64_t>(t.known_shape(n, 0).size());
  int64_t axis = t.int_attr(n, "axis", t.opset() >= 13 ? -1 : 1);
  if (axis < 0) axis += rank;
  // Before opset 13 Softmax normalizes over all dims from `axis` on: the same as PyTorch's over the last only then.
  if (t.opset() < 13 && axis != rank - 1) t.fail(n, "Softmax before opset 13 over axis " + std::to_string(axis));
  t.emit("aten::softmax", {in(t, n, 0), t.int_const(axis), t.none()}, {out(t, n)}, n);
}

void op_layer_norm(T& t, const OxNode& n) {  // aten::layer_norm(x, normalized_shape, weight, bias, eps, cudnn)
  const std::vector<int64_t> s = t.known_shape(n, 0);
  int64_t axis = t.int_attr(n, "axis", -1);
  if (axis < 0) axis += static_cast<int64_t>(s.size());
  if (axis < 0 || axis >= static_cast<int64_t>(s.size())) t.fail(n, "axis out of range");
  only_first_output(t, n);
  const std::vector<int64_t> normalized(s.begin() + axis, s.end());
  t.emit("aten::layer_norm",
         {in(t, n, 0), t.ints_const(normalized), opt_in(t, n, 1), opt_in(t, n, 2),
          t.float_const(t.float_attr(n, "epsilon", 1e-5)), t.bool_const(true)},
         {out(t, n)}, n);
}

void op_batch_norm(T& t, const OxNode& n) {  // aten::batch_norm(x, w, b, mean, var, training, momentum, eps, cudnn)
  only_first_output(t, n);
  t.emit("aten::batch_norm",
         {in(t, n, 0), in(t, n, 1), in(t, n, 2), in(t, n, 3), in(t, n, 4), t.bool_const(false),
          t.float_const(t.float_attr(n, "momentum", 0.9)), t.float_const(t.float_attr(n, "epsilon", 1e-5)),
          t.bool_const(true)},
         {out(t, n)}, n);
}

void op_max_pool(T& t, const OxNode& n) {  // aten::max_pool2d(x, kernel, stride, padding, dilation, ceil_mode)
  only_first_output(t, n);
  if (t.int_attr(n, "storage_order", 0) != 0) t.fail(n, "MaxPool with column-major storage_order");
  t.emit("aten::max_pool2d",
         {in(t, n, 0), t.ints_const(pair_attr(t, n, "kernel_shape", {})),
          t.ints_const(pair_attr(t, n, "strides", {1, 1})), t.ints_const(symmetric_pads(t, n)),
          t.ints_const(pair_attr(t, n, "dilations", {1, 1})), t.bool_const(t.int_attr(n, "ceil_mode", 0) != 0)},
         {out(t, n)}, n);
}

// A zero Pad by p before the pool (op_pad) counts its zeros in every window: the pool padded by its own pads plus p
// with count_include_pad 1 is the same average, exactly, when the pool's own pads are zero or counted too
// (count_include_pad 1) and ceil_mode is 0 (no window then reaches past the padded input).
void op_avg_pool(T& t, const OxNode& n) {  // aten::avg_pool2d(x, kernel, stride, padding, ceil, count_pad, divisor)
  const std::vector<int64_t> own = symmetric_pads(t, n), extra = absorbed_pads(t, n);
  bool count_pad = t.int_attr(n, "count_include_pad", 0) != 0;
  const bool ceil = t.int_attr(n, "ceil_mode", 0) != 0;
  if (extra != std::vector<int64_t>{0, 0}) {
    if (ceil || (!count_pad && own != std::vector<int64_t>{0, 0})) {
      t.fail(n,
             "AveragePool after a Pad with ceil_mode 1 or own pads not counted (count_include_pad 0): not the "
             "same average as one padded pool");
    }
    count_pad = true;
  }
  t.emit(
      "aten::avg_pool2d",
      {in(t, n, 0), t.ints_const(pair_attr(t, n, "kernel_shape", {})), t.ints_const(pair_attr(t, n, "strides", {1, 1})),
       t.ints_const(plus(own, extra)), t.bool_const(ceil), t.bool_const(count_pad), t.none()},
      {out(t, n)}, n);
}

void op_global_avg_pool(T& t, const OxNode& n) {
  t.emit("aten::adaptive_avg_pool2d", {in(t, n, 0), t.ints_const({1, 1})}, {out(t, n)}, n);
}

void op_reduce_mean(T& t, const OxNode& n) {  // aten::mean(x, dims, keepdim, dtype)
  std::vector<int64_t> axes = t.ints_attr(n, "axes", {});
  if (axes.empty() && n.inputs.size() > 1 && !t.ints(n.inputs[1], axes)) t.fail(n, "ReduceMean with run-time axes");
  if (axes.empty()) t.fail(n, "ReduceMean over all dimensions");
  t.emit("aten::mean", {in(t, n, 0), t.ints_const(axes), t.bool_const(t.int_attr(n, "keepdims", 1) != 0), t.none()},
         {out(t, n)}, n);
}

// A view to the inferred output shape (Unsqueeze, Squeeze, Flatten on other axes than 1), its batch moved.
void view_as_inferred(T& t, const OxNode& n) {
  const std::vector<int64_t> from = t.known_shape(n, 0);
  const std::vector<int64_t>* to = t.shape(n.outputs.at(0));
  if (!to) t.fail(n, "the output shape is unknown after ONNX shape inference");
  t.emit("aten::reshape", {in(t, n, 0), t.ints_const(t.at_batch(*to, from))}, {out(t, n)}, n);
}

void op_flatten(T& t, const OxNode& n) {
  if (t.int_attr(n, "axis", 1) != 1) return view_as_inferred(t, n);
  t.emit("aten::flatten", {in(t, n, 0), t.int_const(1), t.int_const(-1)}, {out(t, n)}, n);
}

// Reshape to a constant or folded shape: 0 copies the input's size there (allowzero 0), -1 is inferred.
void op_reshape(T& t, const OxNode& n) {
  std::vector<int64_t> to;
  if (n.inputs.size() < 2 || !t.ints(n.inputs[1], to)) t.fail(n, "Reshape to a shape computed at run time");
  const std::vector<int64_t> from = t.known_shape(n, 0);
  if (t.int_attr(n, "allowzero", 0) == 0) {
    for (size_t i = 0; i < to.size(); ++i) {
      if (to[i] == 0 && i < from.size()) to[i] = from[i];
    }
  }
  t.emit("aten::reshape", {in(t, n, 0), t.ints_const(t.at_batch(to, from))}, {out(t, n)}, n);
}

// Transpose: a swap of two dims is aten::transpose (channel shuffle's middle step), the identity nothing, any other
// order aten::permute.
void op_transpose(T& t, const OxNode& n) {
  const int64_t rank = static_cast<int64_t>(t.known_shape(n, 0).size());
  std::vector<int64_t> identity;
  for (int64_t i = 0; i < rank; ++i) identity.push_back(i);
  const std::vector<int64_t> perm = t.ints_attr(n, "perm", {identity.rbegin(), identity.rend()});
  std::vector<int64_t> moved;
  for (size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] != static_cast<int64_t>(i)) moved.push_back(static_cast<int64_t>(i));
  }
  if (moved.empty()) return t.alias(n);
  if (moved.size() == 2) {
    return t.emit("aten::transpose", {in(t, n, 0), t.int_const(moved[0]), t.int_const(moved[1])}, {out(t, n)}, n);
  }
  t.emit("aten::permute", {in(t, n, 0), t.ints_const(perm)}, {out(t, n)}, n);
}

void op_concat(T& t, const OxNode& n) {  // prim::ListConstruct, then aten::cat(list, dim)
  std::vector<int> items;
  for (size_t i = 0; i < n.inputs.size(); ++i) items.push_back(in(t, n, i));
  const int list = t.fresh();
  t.emit("prim::ListConstruct", items, {list}, n);
  t.emit("aten::cat", {list, t.int_const(t.int_attr(n, "axis", 0))}, {out(t, n)}, n);
}

// Einsum(inputs; equation): aten::einsum(equation, [inputs], path None); the walker takes the batched matmuls.
void op_einsum(T& t, const OxNode& n) {
  std::vector<int> items;
  for (size_t i = 0; i < n.inputs.size(); ++i) items.push_back(in(t, n, i));
  const int list = t.fresh();
  t.emit("prim::ListConstruct", items, {list}, n);
  t.emit("aten::einsum", {t.str_const(t.str_attr(n, "equation", "")), list, t.none()}, {out(t, n)}, n);
}

void op_split(T& t, const OxNode& n) {  // aten::split_with_sizes or aten::chunk, then prim::ListUnpack
  std::vector<int64_t> sizes = t.ints_attr(n, "split", {});
  if (sizes.empty() && n.inputs.size() > 1 && !n.inputs[1].empty() && !t.ints(n.inputs[1], sizes)) {
    t.fail(n, "Split with run-time sizes");
  }
  const int64_t axis = t.int_attr(n, "axis", 0);
  const int list = t.fresh();
  if (sizes.empty()) {
    const int64_t parts = static_cast<int64_t>(n.outputs.size());
    t.emit("aten::chunk", {in(t, n, 0), t.int_const(parts), t.int_const(axis)}, {list}, n);
  } else {
    t.emit("aten::split_with_sizes", {in(t, n, 0), t.ints_const(sizes), t.int_const(axis)}, {list}, n);
  }
  std::vector<int> outs;
  for (const std::string& o : n.outputs) outs.push_back(t.id(o));
  t.emit("prim::ListUnpack", {list}, outs, n);
}

// Slice(x, starts, ends, axes, steps): one aten::slice(x, dim, start, end, step) per axis, bounds clamped to the
// inferred sizes; positive steps (Swin's patch merging x[..., 0::2, 1::2, :]) as the walker takes them.
void op_slice(T& t, const OxNode& n) {
  const std::vector<int64_t> s = t.known_shape(n, 0);
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.inputs.size() < 3 || !t.ints(n.inputs[1], starts) || !t.ints(n.inputs[2], ends)) {
    t.fail(n, "Slice with run-time bounds");
  }
  for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (n.inputs.size() > 3 && !n.inputs[3].empty() && !t.ints(n.inputs[3], axes)) t.fail(n, "Slice with run-time axes");
  steps.assign(starts.size(), 1);
  if (n.inputs.size() > 4 && !n.inputs[4].empty() && !t.ints(n.inputs[4], steps))
    t.fail(n, "Slice with run-time steps");
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
    t.fail(n, "Slice with starts, ends, axes and steps of different lengths");
  }
  int x = in(t, n, 0);
  for (size_t i = 0; i < starts.size(); ++i) {
    const int64_t rank = static_cast<int64_t>(s.size());
    const int64_t axis = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (axis < 0 || axis >= rank) t.fail(n, "Slice axis " + std::to_string(axes[i]) + " out of range");
    const int64_t dim = s[static_cast<size_t>(axis)];
    auto clampi = [&](int64_t v) { return std::max<int64_t>(0, std::min<int64_t>(dim, v < 0 ? v + dim : v)); };
    if (steps[i] < 1) t.fail(n, "Slice with step " + std::to_string(steps[i]) + " (only positive steps)");
    const int y = i + 1 == starts.size() ? out(t, n) : t.fresh();
    t.emit("aten::slice",
           {x, t.int_const(axis), t.int_const(clampi(starts[i])), t.int_const(clampi(ends[i])), t.int_const(steps[i])},
           {y}, n);
    x = y;
  }
}

// Gather: rows of a constant table by run-time ids (an embedding), or of a tensor by constant indices on a dim.
void op_gather(T& t, const OxNode& n) {
  const int64_t axis = t.int_attr(n, "axis", 0);
  const OxTensor* table = t.constant_of(n.inputs.at(0));
  std::vector<int64_t> idx;
  if (table && table->dims.size() == 2 && axis == 0 && !t.ints(n.inputs.at(1), idx)) {
    // aten::embedding(weight, indices, padding_idx, scale_grad_by_freq, sparse)
    return t.emit("aten::embedding",
                  {in(t, n, 0), in(t, n, 1), t.int_const(-1), t.bool_const(false), t.bool_const(false)}, {out(t, n)},
                  n);
  }
  if (!t.ints(n.inputs.at(1), idx)) t.fail(n, "Gather of a tensor by run-time indices (only an embedding table)");
  const OxTensor* indices = t.constant_of(n.inputs[1]);
  if (indices && indices->dims.empty()) {  // a scalar index drops the dim: aten::select(x, dim, index)
    return t.emit("aten::select", {in(t, n, 0), t.int_const(axis), t.int_const(idx[0])}, {out(t, n)}, n);
  }
  t.emit("aten::index_select", {in(t, n, 0), t.int_const(axis), in(t, n, 1)}, {out(t, n)}, n);
}

// Pad with zeros of no size (PyTorch's exporter writes one before some average pools): the identity. A constant
// zero Pad of H and W only, equal at both ends, whose one reader is a Conv or an AveragePool: that op pads instead
// (op_conv, op_avg_pool). Any other Pad fails naming it.
void op_pad(T& t, const OxNode& n) {
  std::vector<int64_t> pads;
  if (!pads_of(t, n, pads) && n.inputs.size() > 1) t.fail(n, "Pad with run-time pads");
  if (std::all_of(pads.begin(), pads.end(), [](int64_t p) { return p == 0; })) {
    return t.alias(n);
  }
  std::string why;
  double value = 0;
  const std::string& value_name = n.inputs.size() > 2 ? n.inputs[2] : "";
  const OxNode* reader = t.single_use(n.outputs.at(0)) ? t.consumers(n.outputs[0])[0] : nullptr;
  if (t.str_attr(n, "mode", "constant") != "constant") {
    why = "mode '" + t.str_attr(n, "mode", "constant") + "'";
  } else if (!value_name.empty() && !(t.scalar(value_name, value) && value == 0)) {
    why = "a value other than 0";
  } else if (pads.size() != 8 || pads[0] || pads[1] || pads[4] || pads[5] || pads[2] != pads[6] || pads[3] != pads[7]) {
    why = "pads other than equal ones on H and W of an N,C,H,W tensor";
  } else if (!reader || (reader->op != "Conv" && reader->op != "AveragePool") || reader->inputs.at(0) != n.outputs[0]) {
    why = "no Conv or AveragePool as its one reader";
  }
  if (!why.empty()) {
    std::string list;
    for (int64_t p : pads) list += (list.empty() ? "" : ", ") + std::to_string(p);
    t.fail(n, "Pad by [" + list + "] with " + why +
                  " (only an empty Pad, or a zero Pad of H and W that the next Conv or AveragePool takes)");
  }
  t.alias(n);
}

// Expand(x, shape): ONNX broadcasts x and `shape` both ways; aten::expand takes the broadcast shape, its leading model
// batch moved to the simulated batch (as a Reshape target's). x may be a constant (ViT's class token).
void op_expand(T& t, const OxNode& n) {
  std::vector<int64_t> target;
  if (n.inputs.size() < 2 || !t.ints(n.inputs[1], target)) t.fail(n, "Expand to a shape computed at run time");
  const OxTensor* c = t.constant_of(n.inputs.at(0));
  const std::vector<int64_t> from = c ? c->dims : t.known_shape(n, 0);
  std::vector<int64_t> to(std::max(from.size(), target.size()), 1);
  for (size_t i = 0; i < to.size(); ++i) {
    const size_t a = i + from.size() - to.size(), b = i + target.size() - to.size();  // right-aligned
    const int64_t x = i + from.size() >= to.size() ? from[a] : 1, y = i + target.size() >= to.size() ? target[b] : 1;
    if (x != y && x != 1 && y != 1)
      t.fail(n, "Expand of a dimension " + std::to_string(x) + " to " + std::to_string(y));
    to[i] = x == 1 ? y : x;
  }
  t.emit("aten::expand", {in(t, n, 0), t.ints_const(t.at_batch(to, to)), t.bool_const(false)}, {out(t, n)}, n);
}

void op_identity(T& t, const OxNode& n) {
  only_first_output(t, n);
  t.alias(n);
}

}  // namespace

const std::map<std::string, OxHandler>& ox_handlers() {
  static const std::map<std::string, OxHandler> table = {
      {"Conv", op_conv},
      {"Gemm", op_gemm},
      {"MatMul", op_matmul},
      {"Add", op_binary},
      {"Sub", op_binary},
      {"Mul", op_binary},
      {"Div", op_binary},
      {"Relu", op_unary},
      {"Sigmoid", op_unary},
      {"Tanh", op_unary},
      {"HardSwish", op_unary},
      {"HardSigmoid", op_hard_sigmoid},
      {"Clip", op_clip},
      {"Softmax", op_softmax},
      {"LayerNormalization", op_layer_norm},
      {"BatchNormalization", op_batch_norm},
      {"MaxPool", op_max_pool},
      {"AveragePool", op_avg_pool},
      {"GlobalAveragePool", op_global_avg_pool},
      {"ReduceMean", op_reduce_mean},
      {"Flatten", op_flatten},
      {"Reshape", op_reshape},
      {"Unsqueeze", view_as_inferred},
      {"Squeeze", view_as_inferred},
      {"Transpose", op_transpose},
      {"Concat", op_concat},
      {"Split", op_split},
      {"Slice", op_slice},
      {"Gather", op_gather},
      {"Identity", op_identity},
      {"Pad", op_pad},
      {"Expand", op_expand},
      {"Einsum", op_einsum},
      {"Dropout", op_identity},
  };
  return table;
}

}  // namespace rp::traces::onnx
