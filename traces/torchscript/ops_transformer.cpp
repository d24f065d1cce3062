// Fully connected layers over the last dim of any tensor, batched matmuls, softmax, layer norm, embedding and
// attention (torch 1.13's fused aten::_native_multi_head_attention, which nn.MultiheadAttention and torchvision's
// ViT trace to in eval mode, and aten::scaled_dot_product_attention where the torch has it).
// Each handler names the aten schema (argument order) it reads; the ONNX importer emits nodes in the same order.
#include <string>
#include <vector>

#include "traces/torchscript/layout.h"
#include "traces/torchscript/op_table.h"
#include "traces/torchscript/walker.h"

namespace rp::traces::ts {
namespace {

// A dense layer from `in` to `out` features over the last dim of input xi (any rank).
Sym dense(Walker& w, const TsNode& n, size_t xi, int64_t in, int64_t out, bool bias) {
  const View x = innermost(w, n, view_arg(w, n, xi), view_arg(w, n, xi).rank() - 1);
  if (x.dims.back() != in) {
    w.fail(n, "the fully connected layer expects " + std::to_string(in) + " features, got " +
                  std::to_string(x.dims.back()) + " (does --input-shape match the model?)");
  }
  View y = x;
  y.dims.back() = out;
  y.layer = w.net().add_dense(w.name(n), x.layer, out, bias);
  return sym_of(w, y);
}

// aten::linear (input, weight [out, in], bias?).
void op_linear(Walker& w, const TsNode& n) {
  const std::vector<int64_t>& wt = w.weight(n, 1, 2);
  w.set(n, 0, dense(w, n, 0, wt[1], wt[0], !w.is_none(n, 2)));
}

// aten::addmm (bias, mat1, mat2 = weight^T [in, out], beta, alpha).
void op_addmm(Walker& w, const TsNode& n) {
  const std::vector<int64_t>& wt = w.weight(n, 2, 2);
  if (w.arg(n, 0).kind != Sym::Kind::kTensorConst) w.fail(n, "addmm with a non-constant bias");
  w.set(n, 0, dense(w, n, 1, wt[0], wt[1], true));
}

// x @ y of two tensors: batch dims (at most two after broadcasting) in n and h, the matrices in w and c. A second
// operand stored transposed (k.transpose(-2, -1) of a contiguous k) is read as such (trans_b), not moved.
Sym tensor_matmul(Walker& w, const TsNode& n, const View& a, const View& b) {
  const int ra = a.rank(), rb = b.rank();
  if (ra < 2 || rb < 2) w.fail(n, "matmul of a vector (rank-1 operand)");
  std::vector<int64_t> ba(a.dims.begin(), a.dims.end() - 2), bb(b.dims.begin(), b.dims.end() - 2);
  const size_t nb = std::max(ba.size(), bb.size());
  if (nb > 2) w.fail(n, "matmul with " + std::to_string(nb) + " batch dims (at most 2)");
  ba.insert(ba.begin(), 2 - ba.size(), 1);
  bb.insert(bb.begin(), 2 - bb.size(), 1);
  const int64_t m = a.dims[static_cast<size_t>(ra - 2)], k = a.dims.back(), cols = b.dims.back();
  if (b.dims[static_cast<size_t>(rb - 2)] != k) {
    w.fail(n, "matmul of " + sizes_str(a.dims) + " and " + sizes_str(b.dims) + ": inner dims differ");
  }
  std::vector<int> want_b = identity_order(rb);
  const bool trans_b = !b.order.empty() && b.order.back() == rb - 2 && b.dims[static_cast<size_t>(rb - 2)] != 1;
  if (trans_b) std::swap(want_b[static_cast<size_t>(rb - 2)], want_b[static_cast<size_t>(rb - 1)]);
  const int la = as_shape(w, n, materialize(w, n, a, identity_order(ra)), Shape{ba[0], ba[1], m, k});
  const Shape sb = trans_b ? Shape{bb[0], bb[1], cols, k} : Shape{bb[0], bb[1], k, cols};
  const int lb = as_shape(w, n, materialize(w, n, b, want_b), sb);
  View out;
  out.layer = w.net().add_matmul(w.name(n), la, lb, trans_b);
  const Shape& o = w.shape(out.layer);
  for (size_t i = 2 - nb; i < 2; ++i) out.dims.push_back(o.dim(static_cast<int>(i)));
  out.dims.push_back(m);
  out.dims.push_back(cols);
  out.order = identity_order(static_cast<int>(out.dims.size()));
  return sym_of(w, out);
}

// aten::matmul / mm / bmm (self, other). With a constant 2-D other: a dense layer (x @ W [in, out]); a bias added
// right after (the only use is an add of a constant [out] tensor) is folded into it, as nn.Linear has it.
void op_matmul(Walker& w, const TsNode& n) {
  if (n.outputs.empty()) w.fail(n, "'" + n.kind + "' has no output");
  if (w.arg(n, 1).kind != Sym::Kind::kTensorConst) {
    return w.set(n, 0, tensor_matmul(w, n, view_arg(w, n, 0), view_arg(w, n, 1)));
  }
  const std::vector<int64_t>& wt = w.weight(n, 1, 2);
  const TsNode* bias_add = nullptr;
  const int out = n.outputs[0];
  if (w.uses(out).size() == 1) {
    const TsNode* u = w.uses(out)[0];
    if ((u->kind == "aten::add" || u->kind == "aten::add_") && u->inputs.size() >= 2) {
      const Sym& b = w.value(u->inputs[0] == out ? u->inputs[1] : u->inputs[0]);
      if (b.kind == Sym::Kind::kTensorConst && b.sizes == std::vector<int64_t>{wt[1]}) bias_add = u;
    }
  }
  const Sym y = dense(w, n, 0, wt[0], wt[1], bias_add != nullptr);
  w.set(n, 0, y);
  if (bias_add) {
    w.absorb(bias_add);
    w.set(*bias_add, 0, y);
  }
}

// More than two batch dims of a matmul operand merged into two (leading ones first): free where stored in order.
View two_batch_dims(Walker& w, const TsNode& n, const View& v) {
  if (v.rank() <= 4) return v;
  std::vector<int64_t> to(v.dims.begin() + (v.rank() - 4), v.dims.end());
  for (int d = 0; d < v.rank() - 4; ++d) to[0] *= v.dims[static_cast<size_t>(d)];
  return reshaped(w, n, v, to);
}

// aten::einsum (str equation, Tensor[] tensors, int[]? path) for the equations that are batched matmuls:
// "P i k, P k j -> P i j" and "P i k, P j k -> P i j" (P: the same batch labels on all three, e.g. MaxViT's
// "B G H I D, B G H J D -> B G H I J"). Anything else fails naming the equation.
void op_einsum(Walker& w, const TsNode& n) {
  const Sym& eq = w.arg(n, 0);
  const Sym& ops = w.arg(n, 1);
  std::string e;
  for (char c : eq.kind == Sym::Kind::kString ? eq.str : std::string()) {
    if (c != ' ') e += c;
  }
  const size_t comma = e.find(','), arrow = e.find("->");
  const auto fail = [&] {
    w.fail(n, "einsum '" + eq.str + "' (only batched matmuls: 'P i k, P k j -> P i j' or 'P i k, P j k -> P i j')");
  };
  if (ops.kind != Sym::Kind::kList || ops.items.size() != 2 || comma == std::string::npos ||
      arrow == std::string::npos || comma > arrow) {
    fail();
  }
  const std::string a = e.substr(0, comma), b = e.substr(comma + 1, arrow - comma - 1), out = e.substr(arrow + 2);
  if (a.size() < 2 || a.size() != b.size() || a.size() != out.size() || a.size() > 6) fail();
  const size_t p = a.size() - 2;
  const std::string batch = a.substr(0, p);
  const char i = a[p], k = a[p + 1];
  if (b.substr(0, p) != batch || out.substr(0, p) != batch || out[p] != i || i == k) fail();
  const char j = out[p + 1];
  if (j == i || j == k || batch.find_first_of(std::string{i, j, k}) != std::string::npos) fail();
  View va = view_of(w, n, ops.items[0]), vb = view_of(w, n, ops.items[1]);
  if (va.rank() != static_cast<int>(a.size()) || vb.rank() != static_cast<int>(b.size())) fail();
  if (b[p] == j && b[p + 1] == k) {  // b stored as (.., j, k): its transpose, read as trans_b by the matmul
    std::vector<int> perm = identity_order(vb.rank());
    std::swap(perm[p], perm[p + 1]);
    vb = permuted(vb, perm);
  } else if (!(b[p] == k && b[p + 1] == j)) {
    fail();
  }
  const std::vector<int64_t> dims_a = va.dims;
  const Sym prod = tensor_matmul(w, n, two_batch_dims(w, n, va), two_batch_dims(w, n, vb));
  std::vector<int64_t> full(dims_a.begin(), dims_a.end() - 1);
  full.push_back(vb.dims.back());
  View y = view_of(w, n, prod);
  w.set(n, 0, y.dims == full ? prod : sym_of(w, reshaped(w, n, y, full)));
}

// aten::baddbmm (self, batch1, batch2, beta, alpha): beta * self + batch1 @ batch2.
void op_baddbmm(Walker& w, const TsNode& n) {
  const Sym prod = tensor_matmul(w, n, view_arg(w, n, 1), view_arg(w, n, 2));
  if (w.arg_count(n) > 3 && w.float_arg(n, 3) == 0) return w.set(n, 0, prod);
  const View p = view_of(w, n, prod), s = view_arg(w, n, 0);
  if (s.dims != p.dims) w.fail(n, "baddbmm whose addend " + sizes_str(s.dims) + " is not " + sizes_str(p.dims));
  View out = p;
  out.layer = w.net().add_add(w.name_as(n, "add"), p.layer, materialize(w, n, s, p.order));
  w.set(n, 0, sym_of(w, out));
}

int last_dim(Walker& w, const TsNode& n, const View& v, size_t i) {
  const int d = norm_dim(w.int_arg(n, i), v.rank());
  if (d < 0) w.fail(n, "dim " + std::to_string(w.int_arg(n, i)) + " out of range for " + sizes_str(v.dims));
  return d;
}

// aten::softmax (self, int dim, dtype?) over any dim (moved innermost when it is not).
void op_softmax(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  View x = innermost(w, n, v, last_dim(w, n, v, 1));
  x.layer = w.net().add_softmax(w.name(n), x.layer);
  w.set(n, 0, sym_of(w, x));
}

// aten::norm (self, Scalar p, int[] dim, bool keepdim) with p = 2 over the last dim (F.normalize, Swin V2's cosine
// attention): the sum of squares as a `mul` (x * x) and a `matmul` with a column of ones (one MAC per element; the
// ones are a constant, nothing learned), then `sqrt` on the sums (an activation of its own).
void op_norm(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  const std::vector<int64_t> dims = w.arg_count(n) > 2 ? w.ints_arg(n, 2) : std::vector<int64_t>{};
  if (w.arg_count(n) != 4 || w.float_arg(n, 1) != 2 || dims.size() != 1 ||
      norm_dim(dims[0], v.rank()) != v.rank() - 1) {
    w.fail(n, "norm other than the 2-norm over the last dim");
  }
  if (v.expanded) w.fail(n, "norm of an expanded tensor");
  View x = innermost(w, n, v, v.rank() - 1);
  Network& net = w.net();
  const int square = net.add_mul(w.name_as(n, "square"), x.layer, x.layer);
  const int ones = net.add_constant(w.name_as(n, "ones"), Shape{1, 1, w.shape(x.layer).c, 1}, 0);
  const int sum = net.add_matmul(w.name_as(n, "sum"), square, ones);
  x.layer = net.add_activation(w.name(n), sum, Act::kSqrt);
  x.dims.back() = 1;
  if (!w.bool_arg(n, 3)) {
    std::vector<int64_t> to(x.dims.begin(), x.dims.end() - 1);
    x = reshaped(w, n, x, to);
  }
  w.set(n, 0, sym_of(w, x));
}

// aten::layer_norm (input, int[] normalized_shape, weight?, bias?, eps, cudnn_enable) over the last dims.
void op_layer_norm(Walker& w, const TsNode& n) {
  View v = view_arg(w, n, 0);
  const std::vector<int64_t> shape = w.ints_arg(n, 1);
  const size_t k = shape.size();
  if (k < 1 || k > v.dims.size() || !std::equal(shape.begin(), shape.end(), v.dims.end() - static_cast<long>(k))) {
    w.fail(n, "layer norm over " + sizes_str(shape) + " of " + sizes_str(v.dims));
  }
  const std::vector<int64_t> dims = v.dims;
  if (k > 1) {  // the normalized dims as one
    std::vector<int64_t> merged(dims.begin(), dims.end() - static_cast<long>(k));
    int64_t p = 1;
    for (int64_t d : shape) p *= d;
    merged.push_back(p);
    v = reshaped(w, n, v, merged);
  }
  View x = innermost(w, n, v, v.rank() - 1);
  x.layer = w.net().add_layer_norm(w.name(n), x.layer);
  if (k > 1) x = reshaped(w, n, x, dims);
  w.set(n, 0, sym_of(w, x));
}

// aten::embedding (weight [vocab, dim], indices, padding_idx, scale_grad_by_freq, sparse).
void op_embedding(Walker& w, const TsNode& n) {
  const std::vector<int64_t>& wt = w.weight(n, 0, 2);
  const View ids = view_arg(w, n, 1);
  std::vector<int64_t> storage = ids.dims;
  storage.push_back(1);
  const int x = as_shape(w, n, materialize(w, n, ids, identity_order(ids.rank())), default_shape(storage));
  View out;
  out.layer = w.net().add_embedding(w.name(n), x, wt[0], wt[1]);
  out.dims = ids.dims;
  out.dims.push_back(wt[1]);
  out.order = identity_order(out.rank());
  w.set(n, 0, sym_of(w, out));
}

// [B, S, H * Dh] (layer, as (B, 1, S, H * Dh)) -> heads (B, H, S, Dh): a reshape and a kPermute.
int heads(Walker& w, const TsNode& n, int x, int64_t b, int64_t s, int64_t h, int64_t dh) {
  const int split = as_shape(w, n, x, Shape{b, s, h, dh});
  return w.net().add_permute(w.name_as(n, "permute"), split, {{0, 2, 1, 3}});
}

// aten::_native_multi_head_attention (query, key, value, int embed_dim, int num_head, qkv_weight [3E, E],
// qkv_bias [3E]?, proj_weight [E, E], proj_bias [E]?, mask?, bool need_weights, bool average_attn_weights,
// int? mask_type) -> (out, weights); query [B, S, E] (batch first). Self-attention only (query, key and value one
// tensor), without a mask: one dense E -> 3E, three channel slices to heads, kAttention, heads back, dense E -> E.
void op_native_mha(Walker& w, const TsNode& n) {
  if (n.inputs[0] != n.inputs[1] || n.inputs[0] != n.inputs[2]) w.fail(n, "attention with query != key / value");
  if (!w.is_none(n, 9)) w.fail(n, "attention with a mask");
  const int64_t e = w.int_arg(n, 3), h = w.int_arg(n, 4);
  const std::vector<int64_t>& qkv = w.weight(n, 5, 2);
  if (h < 1 || e % h != 0 || qkv[0] != 3 * e || qkv[1] != e) w.fail(n, "attention weights do not fit E and heads");
  const View q = innermost(w, n, view_arg(w, n, 0), view_arg(w, n, 0).rank() - 1);
  if (q.rank() != 3 || q.dims[2] != e) w.fail(n, "attention on " + sizes_str(q.dims) + ", expected [B, S, E]");
  const int64_t b = q.dims[0], s = q.dims[1];
  const int x = as_shape(w, n, q.layer, Shape{b, 1, s, e});
  const int proj = w.net().add_dense(w.name(n, "in_proj"), x, 3 * e, !w.is_none(n, 6));
  int qkv_heads[3];
  for (int p = 0; p < 3; ++p) {
    const int part = w.net().add_split(w.name(n, "qkv" + std::to_string(p)), proj, 3, p, 3);
    qkv_heads[p] = heads(w, n, part, b, s, h, e / h);
  }
  const int att = w.net().add_attention(w.name(n), qkv_heads[0], qkv_heads[1], qkv_heads[2]);
  const int back = w.net().add_permute(w.name_as(n, "permute"), att, {{0, 2, 1, 3}});
  const int merged = as_shape(w, n, back, Shape{b, 1, s, e});
  const std::vector<int64_t>& pw = w.weight(n, 7, 2);
  View out = q;
  out.layer = w.net().add_dense(w.name(n, "out_proj"), merged, pw[0], !w.is_none(n, 8));
  out.dims[2] = pw[0];
  w.set(n, 0, sym_of(w, out));
  if (n.outputs.size() > 1) w.set(n, 1, Sym::none());  // the weights: not computed by the fused kernel
}

// aten::scaled_dot_product_attention (query, key, value, attn_mask?, dropout_p, is_causal) on [.., S, D] tensors.
void op_sdpa(Walker& w, const TsNode& n) {
  if (w.arg_count(n) > 3 && !w.is_none(n, 3)) w.fail(n, "attention with a mask");
  const bool causal = w.arg_count(n) > 5 && w.bool_arg(n, 5);
  int ids[3];
  View q;
  for (size_t i = 0; i < 3; ++i) {
    const View v = view_arg(w, n, i);
    if (v.rank() < 2 || v.rank() > 4) w.fail(n, "attention on a rank-" + std::to_string(v.rank()) + " tensor");
    std::vector<int64_t> d(static_cast<size_t>(4 - v.rank()), 1);
    d.insert(d.end(), v.dims.begin(), v.dims.end());
    ids[i] = as_shape(w, n, materialize(w, n, v, identity_order(v.rank())), Shape{d[0], d[1], d[2], d[3]});
    if (i == 0) q = v;
  }
  View out = q;
  out.layer = w.net().add_attention(w.name(n), ids[0], ids[1], ids[2], causal);
  out.dims.back() = w.shape(out.layer).c;
  out.order = identity_order(out.rank());
  w.set(n, 0, sym_of(w, out));
}

}  // namespace

void add_transformer_ops(OpTable& t) {
  t["aten::linear"] = op_linear;
  t["aten::addmm"] = op_addmm;
  t["aten::matmul"] = op_matmul;
  t["aten::mm"] = op_matmul;
  t["aten::bmm"] = op_matmul;
  t["aten::baddbmm"] = op_baddbmm;
  t["aten::einsum"] = op_einsum;
  t["aten::softmax"] = op_softmax;
  t["aten::_softmax"] = op_softmax;
  t["aten::layer_norm"] = op_layer_norm;
  t["aten::norm"] = op_norm;
  t["aten::embedding"] = op_embedding;
  t["aten::_native_multi_head_attention"] = op_native_mha;
  t["aten::scaled_dot_product_attention"] = op_sdpa;
}

}  // namespace rp::traces::ts
