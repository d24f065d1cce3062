#include "traces/torchscript/layout.h"

#include <algorithm>
#include <string>

namespace rp::traces::ts {
namespace {

const std::vector<int> kNchwOrder{0, 2, 3, 1};

int64_t product(const std::vector<int64_t>& v, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t i = from; i < to && i < v.size(); ++i) p *= v[i];
  return p;
}

// The dims of `order` whose size is not 1, in storage order (dims of size 1 do not affect the layout).
std::vector<int> real_order(const std::vector<int>& order, const std::vector<int64_t>& dims) {
  std::vector<int> out;
  for (int d : order) {
    if (dims[static_cast<size_t>(d)] != 1) out.push_back(d);
  }
  return out;
}

bool same_storage(const std::vector<int>& a, const std::vector<int>& b, const std::vector<int64_t>& dims) {
  return real_order(a, dims) == real_order(b, dims);
}

std::vector<int64_t> in_order(const std::vector<int64_t>& dims, const std::vector<int>& order) {
  std::vector<int64_t> out;
  for (int d : order) out.push_back(dims[static_cast<size_t>(d)]);
  return out;
}

}  // namespace

std::vector<int> identity_order(int rank) {
  std::vector<int> o(static_cast<size_t>(rank));
  for (int i = 0; i < rank; ++i) o[static_cast<size_t>(i)] = i;
  return o;
}

View view_of(const Walker& w, const TsNode& n, const Sym& s) {
  if (s.kind != Sym::Kind::kLayer) w.fail(n, "input of '" + n.kind + "' is " + s.describe() + ", expected a tensor");
  View v;
  v.layer = s.layer;
  if (!s.dims.empty()) {
    v.dims = s.dims;
    v.order = s.order;
    v.expanded = s.expanded;
    v.base = s.sizes;
    return v;
  }
  const Shape& x = w.shape(s.layer);
  if (s.rank == 2) {
    v.dims = {x.n, x.h * x.w * x.c};
    v.order = {0, 1};
  } else {
    v.dims = {x.n, x.c, x.h, x.w};
    v.order = kNchwOrder;
  }
  return v;
}

Sym sym_of(const Walker& w, const View& v) {
  const auto w_shape_is = [&w](const View& x, const Shape& s) { return w.shape(x.layer) == s; };
  View out = v;
  if (!v.expanded) {
    const std::vector<int> id = identity_order(v.rank());
    if (same_storage(v.order, id, v.dims)) out.order = id;
    // The legacy layouts keep their plain form (the handlers of convolutions and channel shuffles read it).
    if (v.rank() == 4 && same_storage(v.order, kNchwOrder, v.dims) &&
        w_shape_is(v, Shape{v.dims[0], v.dims[2], v.dims[3], v.dims[1]})) {
      return Sym::of_layer(v.layer, 4);
    }
  }
  Sym s = Sym::of_view(out.layer, out.dims, out.order);
  s.expanded = out.expanded;
  s.sizes = out.base;
  return s;
}

std::vector<int64_t> storage_dims(const View& v) { return in_order(v.dims, v.order); }

Shape default_shape(const std::vector<int64_t>& storage) {
  std::vector<int64_t> s = storage;
  if (s.size() > 4) s.erase(std::remove(s.begin(), s.end(), int64_t{1}), s.end());
  while (s.size() > 4) {
    s[1] *= s[0];
    s.erase(s.begin());
  }
  switch (s.size()) {
    case 0:
      return {1, 1, 1, 1};
    case 1:
      return {1, 1, 1, s[0]};
    case 2:
      return {s[0], 1, 1, s[1]};
    case 3:
      return {s[0], 1, s[1], s[2]};
    default:
      return {s[0], s[1], s[2], s[3]};
  }
}

int as_shape(Walker& w, const TsNode& n, int layer, const Shape& shape) {
  if (w.shape(layer) == shape) return layer;
  const std::vector<Layer>& all = w.net().layers();
  for (size_t i = all.size(); i-- > static_cast<size_t>(layer) + 1;) {  // an earlier reshape of it to `shape`
    if (all[i].kind == LayerKind::kReshape && all[i].inputs[0] == layer && all[i].output == shape) {
      return static_cast<int>(i);
    }
  }
  return w.net().add_reshape(w.name_as(n, "reshape"), layer, shape);
}

int materialize(Walker& w, const TsNode& n, const View& v, const std::vector<int>& want) {
  if (v.expanded) w.fail(n, "an expanded tensor feeds '" + n.kind + "' (expand is supported before add, mul and cat)");
  const Shape target = default_shape(in_order(v.dims, want));
  const std::vector<int> src = real_order(v.order, v.dims), tgt = real_order(want, v.dims);
  if (src == tgt) return as_shape(w, n, v.layer, target);
  std::vector<int> pos(v.dims.size(), -1);
  for (size_t i = 0; i < src.size(); ++i) pos[static_cast<size_t>(src[i])] = static_cast<int>(i);
  // Blocks: runs of the target order that are also consecutive in the source.
  std::vector<std::vector<int>> blocks;
  for (size_t i = 0; i < tgt.size(); ++i) {
    const bool joins = i > 0 && pos[static_cast<size_t>(tgt[i])] == pos[static_cast<size_t>(tgt[i - 1])] + 1;
    if (!joins) blocks.emplace_back();
    blocks.back().push_back(tgt[i]);
  }
  if (blocks.size() > 4) return w.net().add_relayout(w.name_as(n, "relayout"), v.layer, target);
  std::vector<size_t> by_source(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) by_source[i] = i;
  std::sort(by_source.begin(), by_source.end(), [&](size_t a, size_t b) {
    return pos[static_cast<size_t>(blocks[a][0])] < pos[static_cast<size_t>(blocks[b][0])];
  });
  const size_t pad = 4 - blocks.size();
  Shape src4{1, 1, 1, 1};
  std::array<int, 4> perm{{0, 1, 2, 3}};
  for (size_t r = 0; r < by_source.size(); ++r) {
    int64_t size = 1;
    for (int d : blocks[by_source[r]]) size *= v.dims[static_cast<size_t>(d)];
    src4.dim(static_cast<int>(pad + r)) = size;
    perm[pad + by_source[r]] = static_cast<int>(pad + r);
  }
  const int moved = w.net().add_permute(w.name_as(n, "permute"), as_shape(w, n, v.layer, src4), perm);
  return as_shape(w, n, moved, target);
}

View reshaped(Walker& w, const TsNode& n, const View& v, const std::vector<int64_t>& to) {
  if (v.expanded) w.fail(n, "a reshape of an expanded tensor is not supported");
  std::vector<int> from_real, to_real;
  for (int d = 0; d < v.rank(); ++d) {
    if (v.dims[static_cast<size_t>(d)] != 1) from_real.push_back(d);
  }
  for (int d = 0; d < static_cast<int>(to.size()); ++d) {
    if (to[static_cast<size_t>(d)] != 1) to_real.push_back(d);
  }
  // Groups of consecutive source dims and target dims with equal products (PyTorch's view rule).
  struct Group {
    std::vector<int> from, to;
  };
  std::vector<Group> groups;
  size_t i = 0, j = 0;
  while (i < from_real.size() && j < to_real.size()) {
    Group g;
    int64_t a = v.dims[static_cast<size_t>(from_real[i])], b = to[static_cast<size_t>(to_real[j])];
    g.from.push_back(from_real[i++]);
    g.to.push_back(to_real[j++]);
    while (a != b) {
      if (a < b && i < from_real.size()) {
        a *= v.dims[static_cast<size_t>(from_real[i])];
        g.from.push_back(from_real[i++]);
      } else if (b < a && j < to_real.size()) {
        b *= to[static_cast<size_t>(to_real[j])];
        g.to.push_back(to_real[j++]);
      } else {
        w.fail(n, "cannot reshape " + sizes_str(v.dims) + " to " + sizes_str(to));
      }
    }
    groups.push_back(std::move(g));
  }
  const std::vector<int> storage = real_order(v.order, v.dims);
  bool free = true;
  for (const Group& g : groups) {
    const auto at = std::find(storage.begin(), storage.end(), g.from[0]);
    for (size_t k = 0; k < g.from.size(); ++k) {
      free = free && at + static_cast<long>(k) < storage.end() && *(at + static_cast<long>(k)) == g.from[k];
    }
  }
  View out;
  out.dims = to;
  if (!free) {
    out.layer = materialize(w, n, v, identity_order(v.rank()));
    out.order = identity_order(static_cast<int>(to.size()));
    return out;
  }
  out.layer = v.layer;
  for (int d : storage) {  // the groups in the order their source dims are stored
    for (const Group& g : groups) {
      if (g.from[0] == d) out.order.insert(out.order.end(), g.to.begin(), g.to.end());
    }
  }
  for (int d = 0; d < static_cast<int>(to.size()); ++d) {  // dims of size 1 where the identity would have them
    if (to[static_cast<size_t>(d)] != 1) continue;
    auto it = std::find_if(out.order.begin(), out.order.end(), [d](int e) { return e > d; });
    out.order.insert(it, d);
  }
  return out;
}

View permuted(const View& v, const std::vector<int>& perm) {
  View out = v;
  std::vector<int> where(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) {
    out.dims[i] = v.dims[static_cast<size_t>(perm[i])];
    where[static_cast<size_t>(perm[i])] = static_cast<int>(i);
    if (v.expanded) out.base[i] = v.base[static_cast<size_t>(perm[i])];
  }
  for (int& d : out.order) d = where[static_cast<size_t>(d)];
  return out;
}

View innermost(Walker& w, const TsNode& n, const View& v, int d) {
  View out = v;
  const std::vector<int> real = real_order(v.order, v.dims);
  if (real.empty() || real.back() != d) {
    out.order.erase(std::find(out.order.begin(), out.order.end(), d));
    out.order.push_back(d);
    out.layer = materialize(w, n, v, out.order);
  }
  Shape s = default_shape(storage_dims(out));
  if (s.c != v.dims[static_cast<size_t>(d)]) {
    std::vector<int64_t> real_dims;
    for (int64_t x : storage_dims(out)) {
      if (x != 1) real_dims.push_back(x);
    }
    s = default_shape(real_dims);
  }
  if (w.shape(out.layer).c != s.c) out.layer = as_shape(w, n, out.layer, s);
  return out;
}

int axis_layer(Walker& w, const TsNode& n, const View& v, int d, int& axis) {
  const std::vector<int64_t> storage = storage_dims(v);
  const size_t pos = static_cast<size_t>(std::find(v.order.begin(), v.order.end(), d) - v.order.begin());
  const int64_t pre = product(storage, 0, pos), size = storage[pos], post = product(storage, pos + 1, storage.size());
  const Shape& s = w.shape(v.layer);
  int64_t before = 1;
  for (int a = 0; a < 4; ++a) {
    int64_t after = 1;
    for (int b = a + 1; b < 4; ++b) after *= s.dim(b);
    if (before == pre && s.dim(a) == size && after == post) {
      axis = a;
      return v.layer;
    }
    before *= s.dim(a);
  }
  axis = 2;
  return as_shape(w, n, v.layer, Shape{pre, 1, size, post});
}

View unexpanded(Walker& w, const TsNode& n, const View& v, const View& like) {
  if (v.rank() > 4 || like.dims != v.dims) w.fail(n, "an expand of " + sizes_str(v.base) + " here is not supported");
  View base = v;
  base.expanded = false;
  base.dims = v.base;
  const int small = materialize(w, n, base, like.order);
  const int big = materialize(w, n, like, like.order);
  View out = like;
  out.layer = w.net().add_add(w.name_as(n, "expand"), big, small);
  return out;
}

int nchw_layer(Walker& w, const TsNode& n, size_t i) {
  const View v = view_arg(w, n, i);
  if (v.rank() != 4) w.fail(n, "'" + n.kind + "' of a rank-" + std::to_string(v.rank()) + " tensor");
  const Shape nhwc{v.dims[0], v.dims[2], v.dims[3], v.dims[1]};
  if (same_storage(v.order, kNchwOrder, v.dims) && !v.expanded) return as_shape(w, n, v.layer, nhwc);
  return as_shape(w, n, materialize(w, n, v, kNchwOrder), nhwc);
}

}  // namespace rp::traces::ts
