// Shape ops: channel concat and splits, flatten, and the reshapes the IR can express: to N x features (flatten),
// between [N, F] and [N, F, 1, 1] (the identity), and ShuffleNet's channel shuffle, recognized as the pattern
// view [N, g, C/g, H, W] -> transpose(1, 2) -> (contiguous) -> view [N, C, H, W] (or flatten(1, 2)).
#include <string>
#include <vector>

#include "traces/torchscript/op_table.h"
#include "traces/torchscript/walker.h"

namespace rp::traces::ts {
namespace {

// N x C x H x W (or N x F) -> N x (C*H*W). A tensor with H = W = 1 is already laid out as N x C: no layer.
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
      times(known, to[i]);
    }
  }
  if (infer >= 0 && known > 0) to[static_cast<size_t>(infer)] = total / known;
  int64_t product = 1;
  for (int64_t d : to) times(product, d);
  if (product != total) fail();
  return to;
}

void op_reshape(Walker& w, const TsNode& n) {
  const Sym x = w.arg(n, 0);
  const std::vector<int64_t> from = torch_sizes(w, x);
  if (from.empty()) w.fail(n, "reshape of " + x.describe());
  const std::vector<int64_t> to = resolve(w, n, w.ints_arg(n, 1), from);
  const Shape& s = w.shape(x.layer);
  if (x.kind == Sym::Kind::kShuffle) {
    if (x.stage == 2 && to == std::vector<int64_t>{s.n, s.c, s.h, s.w}) return w.set(n, 0, shuffle(w, n, x));
  } else if (to == from) {
    return w.set(n, 0, x);
  } else if (x.rank == 4 && to.size() == 5 && to[0] == s.n && to[3] == s.h && to[4] == s.w) {
    Sym v = x;  // the first step of a channel shuffle: N x g x C/g x H x W
    v.kind = Sym::Kind::kShuffle;
    v.groups = to[1];
    v.stage = 1;
    return w.set(n, 0, v);
  } else if (to.size() == 2 && to[0] == s.n) {
    return w.set(n, 0, flatten(w, n, x));
  } else if (x.rank == 2 && to == std::vector<int64_t>{s.n, s.c, 1, 1}) {
    return w.set(n, 0, Sym::of_layer(x.layer, 4));
  }
  w.fail(n, "reshape from " + sizes_str(from) + " to " + sizes_str(to) +
                " is not supported (only flatten to N x features, [N, F] <-> [N, F, 1, 1] and channel shuffle)");
}

void op_flatten(Walker& w, const TsNode& n) {  // (x, start_dim, end_dim)
  const Sym x = w.arg(n, 0);
  const int64_t start = w.int_arg(n, 1), end = w.int_arg(n, 2);
  if (x.kind == Sym::Kind::kShuffle && x.stage == 2 && start == 1 && norm_dim(end, 5) == 2) {
    return w.set(n, 0, shuffle(w, n, x));
  }
  const int r = w.rank(n, 0);
  if (norm_dim(start, r) == 1 && norm_dim(end, r) == r - 1) return w.set(n, 0, flatten(w, n, x));
  w.fail(n, "flatten of dims " + std::to_string(start) + ".." + std::to_string(end) + " (only 1..-1: N x features)");
}

void op_transpose(Walker& w, const TsNode& n) {
  const Sym& x = w.arg(n, 0);
  const int a = norm_dim(w.int_arg(n, 1), 5), b = norm_dim(w.int_arg(n, 2), 5);
  if (x.kind != Sym::Kind::kShuffle || x.stage != 1 || a + b != 3 || a * b != 2) {
    w.fail(n, "transpose is supported only as the middle step of a channel shuffle (view, transpose(1, 2), view)");
  }
  Sym t = x;
  t.stage = 2;
  w.set(n, 0, t);
}

void op_cat(Walker& w, const TsNode& n) {  // (tensors, dim)
  const Sym& list = w.arg(n, 0);
  if (list.kind != Sym::Kind::kList || list.items.empty()) w.fail(n, "cat of " + list.describe());
  std::vector<int> ids;
  const int r = list.items[0].rank;
  for (const Sym& s : list.items) {
    if (s.kind != Sym::Kind::kLayer || s.rank != r) w.fail(n, "cat of " + s.describe() + " (tensors of one rank)");
    ids.push_back(s.layer);
  }
  const int64_t dim = w.int_arg(n, 1);
  if (norm_dim(dim, r) != 1) w.fail(n, "cat along dim " + std::to_string(dim) + " (only channels, dim 1)");
  w.set_layer(n, w.net().add_concat(w.name(n), ids), r);
}

// `parts` equal channel slices of input 0 along `dim`, bound as a list to output 0.
void split(Walker& w, const TsNode& n, int64_t parts, int64_t dim) {
  const int x = w.layer(n, 0);
  const int r = w.rank(n, 0);
  const int64_t c = w.shape(x).c;
  if (norm_dim(dim, r) != 1) w.fail(n, "split along dim " + std::to_string(dim) + " (only channels, dim 1)");
  if (parts < 1 || c % parts != 0) {
    w.fail(n, "split of " + std::to_string(c) + " channels into unequal slices (the IR has equal splits only)");
  }
  std::vector<Sym> out;
  for (int64_t p = 0; p < parts; ++p) {
    const int id = w.net().add_split(w.name(n, std::to_string(p)), x, static_cast<int>(parts), static_cast<int>(p));
    out.push_back(Sym::of_layer(id, r));
  }
  w.set(n, 0, Sym::list(std::move(out)));
}

void op_chunk(Walker& w, const TsNode& n) { split(w, n, w.int_arg(n, 1), w.int_arg(n, 2)); }

void op_split(Walker& w, const TsNode& n) {  // (x, split_size or sizes, dim)
  const int64_t c = w.shape(w.layer(n, 0)).c;
  const Sym& size = w.arg(n, 1);
  if (size.kind == Sym::Kind::kInt) {
    const int64_t s = size.ints[0];
    return split(w, n, s > 0 && c % s == 0 ? c / s : 0, w.int_arg(n, 2));
  }
  const std::vector<int64_t> sizes = w.ints_arg(n, 1);
  for (int64_t s : sizes) {
    if (s != sizes[0]) w.fail(n, "split into unequal sizes " + sizes_str(sizes) + " (the IR has equal splits only)");
  }
  split(w, n, static_cast<int64_t>(sizes.size()), w.int_arg(n, 2));
}

}  // namespace

void add_shape_ops(OpTable& t) {
  t["aten::view"] = op_reshape;
  t["aten::reshape"] = op_reshape;
  t["aten::flatten"] = op_flatten;
  t["aten::transpose"] = op_transpose;
  t["aten::cat"] = op_cat;
  t["aten::chunk"] = op_chunk;
  t["aten::unsafe_chunk"] = op_chunk;
  t["aten::split"] = op_split;
  t["aten::unsafe_split"] = op_split;
  t["aten::split_with_sizes"] = op_split;
}

}  // namespace rp::traces::ts
