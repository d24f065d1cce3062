// Shape ops on tensors of any rank (layout.h says when they move data): view / reshape / flatten / squeeze /
// unsqueeze, permute / transpose, expand, cat, split / chunk / unbind, select / slice / narrow, roll. Two patterns
// keep their own IR layers: flatten of an NCHW tensor to N x features (kFlatten, none when H = W = 1) and
// ShuffleNet's channel shuffle, view [N, g, C/g, H, W] -> transpose(1, 2) -> (contiguous) -> view [N, C, H, W] (or
// flatten(1, 2)) as one kChannelShuffle.
// Each handler names the aten schema (argument order) it reads; the ONNX importer emits nodes in the same order.
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "traces/torchscript/layout.h"
#include "traces/torchscript/op_table.h"
#include "traces/torchscript/walker.h"

namespace rp::traces::ts {
namespace {

bool is_nchw_legacy(const Sym& x) { return x.kind == Sym::Kind::kLayer && x.dims.empty() && x.rank == 4; }

// N x C x H x W (legacy NCHW) -> N x (C*H*W). A tensor with H = W = 1 is already laid out as N x C: no layer.
Sym flatten(Walker& w, const TsNode& n, const Sym& x) {
  const Shape& s = w.shape(x.layer);
  if (s.h == 1 && s.w == 1) return Sym::of_layer(x.layer, 2);
  return Sym::of_layer(w.net().add_flatten(w.name_as(n, "flatten"), x.layer), 2);
}

Sym shuffle(Walker& w, const TsNode& n, const Sym& x) {
  const int groups = static_cast<int>(x.groups);
  return Sym::of_layer(w.net().add_channel_shuffle(w.name_as(n, "channel_shuffle"), x.layer, groups), 4);
}

// The requested sizes with -1 resolved; fails when the element count differs, or when a product of sizes does not
// fit in 64 bits (sizes come from the model's constants: anything may be there).
std::vector<int64_t> resolve(Walker& w, const TsNode& n, std::vector<int64_t> to, const std::vector<int64_t>& from) {
  const auto fail = [&] { w.fail(n, "cannot reshape " + sizes_str(from) + " to " + sizes_str(to)); };
  const auto times = [&](int64_t& acc, int64_t d) {
    if (__builtin_mul_overflow(acc, d, &acc)) fail();
  };
  int64_t total = 1, known = 1;
  int infer = -1;
  for (int64_t d : from) times(total, d);
  for (size_t i = 0; i < to.size(); ++i) {
    if (to[i] == -1 && infer < 0) {
      infer = static_cast<int>(i);
    } else {
      if (to[i] < 1) fail();
      times(known, to[i]);
    }
  }
  if (infer >= 0 && known > 0) to[static_cast<size_t>(infer)] = total / known;
  int64_t product = 1;
  for (int64_t d : to) times(product, d);
  if (product != total) fail();
  return to;
}

void reshape_to(Walker& w, const TsNode& n, const Sym& x, const std::vector<int64_t>& to) {
  const View v = view_of(w, n, x);
  if (v.dims == to) return w.set(n, 0, x);
  w.set(n, 0, sym_of(w, reshaped(w, n, v, to)));
}

// aten::view / aten::reshape (self, int[] size).
void op_reshape(Walker& w, const TsNode& n) {
  const Sym x = w.arg(n, 0);
  const std::vector<int64_t> from = torch_sizes(w, x);
  if (from.empty()) w.fail(n, "reshape of " + x.describe());
  const std::vector<int64_t> to = resolve(w, n, w.ints_arg(n, 1), from);
  if (x.kind == Sym::Kind::kShuffle) {
    const Shape& s = w.shape(x.layer);
    if (x.stage == 2 && to == std::vector<int64_t>{s.n, s.c, s.h, s.w}) return w.set(n, 0, shuffle(w, n, x));
    w.fail(n, "reshape from " + sizes_str(from) + " to " + sizes_str(to) + " inside a channel shuffle");
  }
  if (is_nchw_legacy(x)) {
    const Shape& s = w.shape(x.layer);
    if (to.size() == 5 && to[0] == s.n && to[3] == s.h && to[4] == s.w && to[1] > 1 && to[2] > 1) {
      Sym v = x;  // the first step of a channel shuffle: N x g x C/g x H x W
      v.kind = Sym::Kind::kShuffle;
      v.groups = to[1];
      v.stage = 1;
      return w.set(n, 0, v);
    }
    if (to.size() == 2 && to[0] == s.n) return w.set(n, 0, flatten(w, n, x));
  }
  reshape_to(w, n, x, to);
}

// aten::flatten (self, int start_dim, int end_dim).
void op_flatten(Walker& w, const TsNode& n) {
  const Sym x = w.arg(n, 0);
  const int64_t start = w.int_arg(n, 1), end = w.int_arg(n, 2);
  if (x.kind == Sym::Kind::kShuffle && x.stage == 2 && start == 1 && norm_dim(end, 5) == 2) {
    return w.set(n, 0, shuffle(w, n, x));
  }
  const std::vector<int64_t> from = torch_sizes(w, x);
  const int r = static_cast<int>(from.size());
  if (r == 0) return w.set(n, 0, x);
  const int a = norm_dim(start, r), b = norm_dim(end, r);
  if (a < 0 || b < 0 || a > b) w.fail(n, "flatten of dims " + std::to_string(start) + ".." + std::to_string(end));
  if (is_nchw_legacy(x) && a == 1 && b == 3) return w.set(n, 0, flatten(w, n, x));
  std::vector<int64_t> to(from.begin(), from.begin() + a);
  int64_t merged = 1;
  for (int d = a; d <= b; ++d) merged *= from[static_cast<size_t>(d)];
  to.push_back(merged);
  to.insert(to.end(), from.begin() + b + 1, from.end());
  reshape_to(w, n, x, to);
}

// aten::unsqueeze (self, int dim).
void op_unsqueeze(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  const int d = norm_dim(w.int_arg(n, 1), v.rank() + 1);
  if (d < 0) w.fail(n, "unsqueeze at dim " + std::to_string(w.int_arg(n, 1)));
  std::vector<int64_t> to = v.dims;
  to.insert(to.begin() + d, 1);
  reshape_to(w, n, w.arg(n, 0), to);
}

// aten::squeeze (self) or (self, int dim).
void op_squeeze(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  std::vector<int64_t> to;
  const int only = w.arg_count(n) > 1 ? norm_dim(w.int_arg(n, 1), v.rank()) : -1;
  for (int d = 0; d < v.rank(); ++d) {
    const int64_t size = v.dims[static_cast<size_t>(d)];
    if (size != 1 || (only >= 0 && d != only)) to.push_back(size);
  }
  reshape_to(w, n, w.arg(n, 0), to);
}

// aten::transpose (self, int dim0, int dim1); aten::t (self).
void op_transpose(Walker& w, const TsNode& n) {
  const Sym& x = w.arg(n, 0);
  if (x.kind == Sym::Kind::kShuffle) {
    const int a = norm_dim(w.int_arg(n, 1), 5), b = norm_dim(w.int_arg(n, 2), 5);
    if (x.stage != 1 || a + b != 3 || a * b != 2) w.fail(n, "transpose inside a channel shuffle");
    Sym t = x;
    t.stage = 2;
    return w.set(n, 0, t);
  }
  const View v = view_of(w, n, x);
  const int a = w.arg_count(n) > 1 ? norm_dim(w.int_arg(n, 1), v.rank()) : 0;
  const int b = w.arg_count(n) > 1 ? norm_dim(w.int_arg(n, 2), v.rank()) : v.rank() - 1;
  if (a < 0 || b < 0) w.fail(n, "transpose of dims out of range for " + sizes_str(v.dims));
  std::vector<int> perm = identity_order(v.rank());
  std::swap(perm[static_cast<size_t>(a)], perm[static_cast<size_t>(b)]);
  w.set(n, 0, sym_of(w, permuted(v, perm)));
}

// aten::permute (self, int[] dims): metadata only; the data moves where a consumer needs another layout.
void op_permute(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  const std::vector<int64_t> dims = w.ints_arg(n, 1);
  std::vector<int> perm;
  std::vector<bool> seen(static_cast<size_t>(v.rank()), false);
  for (int64_t d : dims) {
    const int k = norm_dim(d, v.rank());
    if (k < 0 || seen[static_cast<size_t>(k)] || dims.size() != seen.size()) {
      w.fail(n, "permute " + sizes_str(dims) + " of a rank-" + std::to_string(v.rank()) + " tensor");
    }
    seen[static_cast<size_t>(k)] = true;
    perm.push_back(k);
  }
  w.set(n, 0, sym_of(w, permuted(v, perm)));
}

// aten::expand (self, int[] size, bool implicit): a broadcast; self may be a constant (ViT's class token).
void expand_to(Walker& w, const TsNode& n, const std::vector<int64_t>& size) {
  const Sym& x = w.arg(n, 0);
  View v;
  if (x.kind == Sym::Kind::kTensorConst) {
    std::vector<int64_t> sizes = x.sizes;
    if (sizes.empty()) sizes = {1};
    v.dims = sizes;
    v.order = identity_order(v.rank());
    const Shape shape = default_shape(sizes);
    v.layer = w.net().add_constant(w.name_as(n, "constant"), shape,
                                   x.learned >= 0 && x.learned < shape.elements() ? x.learned : -1);
  } else {
    v = view_of(w, n, x);
  }
  if (size.size() < v.dims.size()) w.fail(n, "expand to fewer dims than " + sizes_str(v.dims));
  std::vector<int64_t> to(size.size() - v.dims.size(), 1);
  to.insert(to.end(), v.dims.begin(), v.dims.end());
  if (to.size() != v.dims.size()) v = reshaped(w, n, v, to);
  View out = v;
  out.base = v.expanded ? v.base : v.dims;
  for (size_t i = 0; i < size.size(); ++i) {
    if (size[i] == -1 || size[i] == out.dims[i]) continue;
    if (out.dims[i] != 1) w.fail(n, "expand of " + sizes_str(v.dims) + " to " + sizes_str(size));
    out.dims[i] = size[i];
    out.expanded = true;
  }
  w.set(n, 0, sym_of(w, out));
}

void op_expand(Walker& w, const TsNode& n) { expand_to(w, n, w.ints_arg(n, 1)); }

// aten::expand_as (self, other): expand to other's sizes (F.normalize's norm, broadcast over the normalized dim).
void op_expand_as(Walker& w, const TsNode& n) {
  const std::vector<int64_t> size = torch_sizes(w, w.arg(n, 1));
  if (size.empty()) w.bad_arg(n, 1, "a tensor");
  expand_to(w, n, size);
}

// aten::cat (Tensor[] tensors, int dim) along any dim; an expanded operand is made real against the others.
void op_cat(Walker& w, const TsNode& n) {
  const Sym& list = w.arg(n, 0);
  if (list.kind != Sym::Kind::kList || list.items.empty()) w.fail(n, "cat of " + list.describe());
  std::vector<View> views;
  for (const Sym& s : list.items) views.push_back(view_of(w, n, s));
  const int r = views[0].rank();
  const int d = norm_dim(w.int_arg(n, 1), r);
  if (d < 0)
    w.fail(n, "cat along dim " + std::to_string(w.int_arg(n, 1)) + " of rank-" + std::to_string(r) + " tensors");
  const View* lead = nullptr;  // the operand that fixes the layout: not expanded, the largest along d
  for (const View& v : views) {
    if (v.rank() != r) w.fail(n, "cat of tensors of different ranks");
    if (!v.expanded && (!lead || v.dims[static_cast<size_t>(d)] > lead->dims[static_cast<size_t>(d)])) lead = &v;
  }
  if (!lead) w.fail(n, "cat of expanded tensors only");
  const View first = *lead;
  int axis = 3;
  const int lead_layer = axis_layer(w, n, first, d, axis);
  const Shape shape = w.shape(lead_layer);
  std::vector<int> ids;
  View out = first;
  out.dims[static_cast<size_t>(d)] = 0;
  for (const View& operand : views) {
    View v = operand;
    if (v.expanded) {
      // The expanded operand: a slice of the lead operand of its size along `d`, plus the broadcast tensor.
      View like = first;
      like.layer = w.net().add_slice(w.name_as(n, "slice"), lead_layer, axis, 0, v.dims[static_cast<size_t>(d)]);
      like.dims[static_cast<size_t>(d)] = v.dims[static_cast<size_t>(d)];
      v = unexpanded(w, n, v, like);
    }
    if (v.order != first.order) {
      v.layer = materialize(w, n, v, first.order);
      v.order = first.order;
    }
    Shape s = shape;
    s.dim(axis) = v.dims[static_cast<size_t>(d)];
    ids.push_back(&operand == lead ? lead_layer : as_shape(w, n, v.layer, s));
    out.dims[static_cast<size_t>(d)] += v.dims[static_cast<size_t>(d)];
  }
  out.layer = w.net().add_concat(w.name(n), ids, axis);
  w.set(n, 0, sym_of(w, out));
}

// Slices [begin, begin + size) of input 0 along dim d, one IR layer each (equal parts: split layers).
std::vector<Sym> slices(Walker& w, const TsNode& n, const View& v, int d, const std::vector<int64_t>& sizes,
                        bool drop_dim) {
  int axis = 3;
  const int x = axis_layer(w, n, v, d, axis);
  const bool equal = std::all_of(sizes.begin(), sizes.end(), [&](int64_t s) { return s == sizes[0]; });
  std::vector<Sym> out;
  int64_t begin = 0;
  for (size_t p = 0; p < sizes.size(); ++p) {
    View part = v;
    const std::string name = w.name(n, std::to_string(p));
    part.layer = equal ? w.net().add_split(name, x, static_cast<int>(sizes.size()), static_cast<int>(p), axis)
                       : w.net().add_slice(name, x, axis, begin, sizes[p]);
    begin += sizes[p];
    part.dims[static_cast<size_t>(d)] = sizes[p];
    out.push_back(sym_of(w, drop_dim ? reshaped(w, n, part,
                                                [&] {
                                                  std::vector<int64_t> to = part.dims;
                                                  to.erase(to.begin() + d);
                                                  return to;
                                                }())
                                     : part));
  }
  return out;
}

int dim_arg(Walker& w, const TsNode& n, size_t i, const View& v) {
  const int d = norm_dim(w.int_arg(n, i), v.rank());
  if (d < 0) w.fail(n, "dim " + std::to_string(w.int_arg(n, i)) + " out of range for " + sizes_str(v.dims));
  return d;
}

// aten::chunk / unsafe_chunk (self, int chunks, int dim): PyTorch's chunk sizes (ceil, the last one smaller).
void op_chunk(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  const int d = dim_arg(w, n, 2, v);
  const int64_t chunks = w.int_arg(n, 1), extent = v.dims[static_cast<size_t>(d)];
  if (chunks < 1) w.fail(n, "chunk into " + std::to_string(chunks) + " parts");
  const int64_t each = (extent + chunks - 1) / chunks;
  std::vector<int64_t> sizes;
  for (int64_t at = 0; at < extent; at += each) sizes.push_back(std::min(each, extent - at));
  w.set(n, 0, Sym::list(slices(w, n, v, d, sizes, false)));
}

// aten::split (self, int split_size, int dim), aten::split / split_with_sizes (self, int[] sizes, int dim).
void op_split(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  const int d = dim_arg(w, n, 2, v);
  const int64_t extent = v.dims[static_cast<size_t>(d)];
  const Sym& size = w.arg(n, 1);
  std::vector<int64_t> sizes;
  if (size.kind == Sym::Kind::kInt) {
    const int64_t s = size.ints[0];
    if (s < 1) w.fail(n, "split into parts of " + std::to_string(s));
    for (int64_t at = 0; at < extent; at += s) sizes.push_back(std::min(s, extent - at));
  } else {
    sizes = w.ints_arg(n, 1);
    int64_t total = 0;
    for (int64_t s : sizes) total += s;
    if (total != extent) w.fail(n, "split sizes " + sizes_str(sizes) + " do not add up to " + std::to_string(extent));
  }
  w.set(n, 0, Sym::list(slices(w, n, v, d, sizes, false)));
}

// aten::unbind (self, int dim): a list of selects.
void op_unbind(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  const int d = dim_arg(w, n, 1, v);
  w.set(n, 0,
        Sym::list(
            slices(w, n, v, d, std::vector<int64_t>(static_cast<size_t>(v.dims[static_cast<size_t>(d)]), 1), true)));
}

// One slice [begin, end) of dim d; `drop` removes the dim (select). The whole extent is the input itself.
void one_slice(Walker& w, const TsNode& n, const View& v, int d, int64_t begin, int64_t end, bool drop) {
  const int64_t extent = v.dims[static_cast<size_t>(d)];
  if (begin < 0) begin += extent;
  if (end < 0) end += extent;
  begin = std::clamp<int64_t>(begin, 0, extent);
  end = std::clamp<int64_t>(end, begin, extent);
  if (end == begin) w.fail(n, "an empty slice");
  if (begin == 0 && end == extent && !drop) return w.set(n, 0, w.arg(n, 0));
  int axis = 3;
  View part = v;
  const int x = axis_layer(w, n, v, d, axis);
  part.layer = w.net().add_slice(w.name(n), x, axis, begin, end - begin);
  part.dims[static_cast<size_t>(d)] = end - begin;
  if (drop) {
    std::vector<int64_t> to = part.dims;
    to.erase(to.begin() + d);
    part = reshaped(w, n, part, to);
  }
  w.set(n, 0, sym_of(w, part));
}

// A slice with step > 1 of the whole dim from `start` < step (Swin's patch merging, x[..., 0::2, 1::2, :]): the
// dim d of extent D (a multiple of step) is split into [D / step, step] (a view, free where d is stored as one run)
// and the element `start` of the inner one is selected (a slice layer: D / step of every step elements move).
void strided_slice(Walker& w, const TsNode& n, const View& v, int d, int64_t start, int64_t end, int64_t step) {
  const int64_t extent = v.dims[static_cast<size_t>(d)];
  if (start < 0) start += extent;
  if (step < 1 || extent % step != 0 || start < 0 || start >= step || end < extent) {
    w.fail(n, "slice with step " + std::to_string(step) + " (only of a whole dim that is a multiple of the step, " +
                  "from a start below the step)");
  }
  std::vector<int64_t> split = v.dims;
  split[static_cast<size_t>(d)] = extent / step;
  split.insert(split.begin() + d + 1, step);
  one_slice(w, n, reshaped(w, n, v, split), d + 1, start, start + 1, true);
}

// aten::pad (self, int[] pad, str mode, float? value): a pad of zeros everywhere is the identity (Swin pads to a
// multiple of its window, nothing at 224 x 224); any other pad fails naming it.
void op_pad(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  const std::vector<int64_t> pad = w.ints_arg(n, 1);
  if (std::any_of(pad.begin(), pad.end(), [](int64_t p) { return p != 0; })) {
    w.fail(n, "pad by " + sizes_str(pad) + " of " + sizes_str(v.dims) + " (only a pad of zeros, the identity)");
  }
  w.set(n, 0, w.arg(n, 0));
}

// aten::slice (self, int dim, int? start, int? end, int step).
void op_slice(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  const int d = dim_arg(w, n, 1, v);
  const int64_t big = std::numeric_limits<int64_t>::max();
  const int64_t start = w.is_none(n, 2) ? 0 : w.int_arg(n, 2), end = w.is_none(n, 3) ? big : w.int_arg(n, 3);
  const int64_t step = w.arg_count(n) > 4 ? w.int_arg(n, 4) : 1;
  if (step == 1) return one_slice(w, n, v, d, start, end, false);
  strided_slice(w, n, v, d, start, end, step);
}

// aten::select (self, int dim, int index).
void op_select(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  const int d = dim_arg(w, n, 1, v);
  int64_t i = w.int_arg(n, 2);
  if (i < 0) i += v.dims[static_cast<size_t>(d)];
  one_slice(w, n, v, d, i, i + 1, true);
}

// aten::narrow (self, int dim, int start, int length).
void op_narrow(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  const int d = dim_arg(w, n, 1, v);
  const int64_t start = w.int_arg(n, 2);
  one_slice(w, n, v, d, start, start + w.int_arg(n, 3), false);
}

// aten::roll (self, int[] shifts, int[] dims): Swin's cyclic shift of [B, H, W, C] by the same amount along H
// and W (dims 1 and 2).
void op_roll(Walker& w, const TsNode& n) {
  const View v = view_arg(w, n, 0);
  const std::vector<int64_t> shifts = w.ints_arg(n, 1), dims = w.ints_arg(n, 2);
  if (v.rank() != 4 || dims.size() != 2 || norm_dim(dims[0], 4) != 1 || norm_dim(dims[1], 4) != 2 ||
      shifts.size() != 2 || shifts[0] != shifts[1]) {
    w.fail(n, "roll by " + sizes_str(shifts) + " along dims " + sizes_str(dims) +
                  " (only the same shift along dims 1 and 2 of a rank-4 tensor, as Swin's)");
  }
  const int x = materialize(w, n, v, identity_order(4));
  View out = v;
  out.order = identity_order(4);
  out.layer = w.net().add_roll(w.name(n), as_shape(w, n, x, Shape{v.dims[0], v.dims[1], v.dims[2], v.dims[3]}),
                               static_cast<int>(shifts[0]));
  w.set(n, 0, sym_of(w, out));
}

}  // namespace

void add_shape_ops(OpTable& t) {
  t["aten::view"] = op_reshape;
  t["aten::reshape"] = op_reshape;
  t["aten::flatten"] = op_flatten;
  t["aten::unsqueeze"] = op_unsqueeze;
  t["aten::squeeze"] = op_squeeze;
  t["aten::transpose"] = op_transpose;
  t["aten::t"] = op_transpose;
  t["aten::permute"] = op_permute;
  t["aten::expand"] = op_expand;
  t["aten::expand_as"] = op_expand_as;
  t["aten::cat"] = op_cat;
  t["aten::concat"] = op_cat;
  t["aten::chunk"] = op_chunk;
  t["aten::unsafe_chunk"] = op_chunk;
  t["aten::split"] = op_split;
  t["aten::unsafe_split"] = op_split;
  t["aten::split_with_sizes"] = op_split;
  t["aten::unbind"] = op_unbind;
  t["aten::slice"] = op_slice;
  t["aten::select"] = op_select;
  t["aten::narrow"] = op_narrow;
  t["aten::roll"] = op_roll;
  t["aten::pad"] = op_pad;
}

}  // namespace rp::traces::ts
