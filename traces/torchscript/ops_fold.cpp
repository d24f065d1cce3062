// Tensors computed at import from sizes only (Sym::computed): a model that builds a tensor from nothing but sizes
// (Swin's shifted-window attention mask: aten::new_zeros, slices filled in place, view / permute / reshape,
// unsqueeze, sub, ne / eq, masked_fill) gives the same tensor at every run, so it is folded here to a constant of
// known sizes (its values are not needed: only its size costs). Where it meets a tensor of the network, the
// consumer's handler sees an ordinary constant tensor (an add of a constant).
#include <algorithm>
#include <string>
#include <vector>

#include "traces/torchscript/op_table.h"
#include "traces/torchscript/walker.h"

namespace rp::traces::ts {
namespace {

bool is_computed(const Sym& s) { return s.kind == Sym::Kind::kTensorConst && s.computed; }

Sym computed(std::vector<int64_t> sizes) {
  Sym s;
  s.kind = Sym::Kind::kTensorConst;
  s.computed = true;
  s.learned = 0;  // computed from sizes: nothing learned
  s.sizes = std::move(sizes);
  return s;
}

// PyTorch broadcasting of two size lists (aligned at the last dim); fails naming the node when they do not fit.
std::vector<int64_t> broadcast(Walker& w, const TsNode& n, const std::vector<int64_t>& a,
                               const std::vector<int64_t>& b) {
  std::vector<int64_t> out(std::max(a.size(), b.size()), 1);
  for (size_t i = 0; i < out.size(); ++i) {
    const int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1, y = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (x != y && x != 1 && y != 1) w.fail(n, "broadcast of " + sizes_str(a) + " and " + sizes_str(b));
    out[out.size() - 1 - i] = std::max(x, y);
  }
  return out;
}

int dim_of(Walker& w, const TsNode& n, size_t i, int rank) {
  const int d = norm_dim(w.int_arg(n, i), rank);
  if (d < 0) w.fail(n, "dim " + std::to_string(w.int_arg(n, i)) + " of a rank-" + std::to_string(rank) + " tensor");
  return d;
}

// aten::slice (self, int dim, int? start, int? end, int step): PyTorch's clamped extent, ceil(len / step).
std::vector<int64_t> sliced(Walker& w, const TsNode& n, std::vector<int64_t> s) {
  const int d = dim_of(w, n, 1, static_cast<int>(s.size()));
  const int64_t extent = s[static_cast<size_t>(d)];
  int64_t b = w.is_none(n, 2) ? 0 : w.int_arg(n, 2), e = w.is_none(n, 3) ? extent : w.int_arg(n, 3);
  const int64_t step = w.arg_count(n) > 4 ? w.int_arg(n, 4) : 1;
  if (step < 1) w.fail(n, "slice with step " + std::to_string(step));
  if (b < 0) b += extent;
  if (e < 0) e += extent;
  b = std::clamp<int64_t>(b, 0, extent);
  e = std::clamp<int64_t>(e, b, extent);
  s[static_cast<size_t>(d)] = (e - b + step - 1) / step;
  return s;
}

// aten::view / reshape (self, int[] size) with one -1 resolved.
std::vector<int64_t> reshaped_sizes(Walker& w, const TsNode& n, const std::vector<int64_t>& from) {
  std::vector<int64_t> to = w.ints_arg(n, 1);
  int64_t total = 1, known = 1;
  for (int64_t d : from) total *= d;
  for (int64_t d : to) known *= d == -1 ? 1 : d;
  for (int64_t& d : to) {
    if (d == -1 && known > 0) d = total / known;
  }
  int64_t product = 1;
  for (int64_t d : to) product *= d;
  if (product != total) w.fail(n, "cannot reshape " + sizes_str(from) + " to " + sizes_str(w.ints_arg(n, 1)));
  return to;
}

std::vector<int64_t> permuted_sizes(Walker& w, const TsNode& n, const std::vector<int64_t>& s) {
  std::vector<int64_t> out;
  for (int64_t d : w.ints_arg(n, 1)) out.push_back(s[static_cast<size_t>(norm_dim(d, static_cast<int>(s.size())))]);
  if (out.size() != s.size()) w.fail(n, "permute " + sizes_str(w.ints_arg(n, 1)) + " of " + sizes_str(s));
  return out;
}

// The sizes of the result of `n`, whose input 0 is the computed constant of sizes `s`.
std::vector<int64_t> result_sizes(Walker& w, const TsNode& n, const std::vector<int64_t>& s) {
  const std::string& k = n.kind;
  if (k == "aten::slice") return sliced(w, n, s);
  if (k == "aten::view" || k == "aten::reshape") return reshaped_sizes(w, n, s);
  if (k == "aten::permute") return permuted_sizes(w, n, s);
  if (k == "aten::unsqueeze") {
    std::vector<int64_t> out = s;
    out.insert(out.begin() + dim_of(w, n, 1, static_cast<int>(s.size()) + 1), 1);
    return out;
  }
  if (k == "aten::fill_" || k == "aten::zero_" || k == "aten::contiguous" || k == "aten::clone" || k == "aten::detach")
    return s;
  if (k == "aten::sub" || k == "aten::add" || k == "aten::mul" || k == "aten::div" || k == "aten::ne" ||
      k == "aten::eq" || k == "aten::masked_fill") {
    std::vector<int64_t> out = s;
    for (size_t i = 1; i < std::min<size_t>(w.arg_count(n), 3); ++i) {
      const Sym& o = w.arg(n, i);
      if (o.kind == Sym::Kind::kLayer) w.fail(n, "'" + k + "' of a tensor computed at import and a network tensor");
      if (is_computed(o)) out = broadcast(w, n, out, o.sizes);
    }
    return out;
  }
  w.fail(n, "'" + k +
                "' of a tensor computed at import from sizes (only new_zeros, slice, fill_, view, reshape, "
                "permute, unsqueeze and elementwise ops on it are folded)");
}

void op_fold_only(Walker& w, const TsNode& n) {
  w.fail(n, "'" + n.kind + "' of a tensor that is not computed at import from sizes (only such tensors are folded)");
}

}  // namespace

bool fold_computed(Walker& w, const TsNode& n) {
  if (!n.inputs.empty() && w.arg(n, 0).kind == Sym::Kind::kTensorConst && !is_computed(w.arg(n, 0))) {
    // A slice of a weight, zeroed in place (Swin V2: qkv_bias[C : 2C].zero_() on a clone): sizes only, values
    // are not simulated; the slice holds at most its own elements of the weight's learned parameters.
    if (n.kind == "aten::slice") {
      Sym s = w.arg(n, 0);
      s.sizes = sliced(w, n, s.sizes);
      int64_t elements = 1;
      for (int64_t d : s.sizes) elements *= d;
      s.learned = std::min(s.learned, elements);
      s.floats.clear();
      w.set(n, 0, s);
      return true;
    }
    if (n.kind == "aten::zero_") {
      w.set(n, 0, w.arg(n, 0));
      return true;
    }
  }
  if (n.kind == "aten::new_zeros") {  // (self, int[] size, dtype, layout, device, pin_memory): only sizes matter
    std::vector<int64_t> sizes = w.ints_arg(n, 1);
    for (int64_t d : sizes) {
      if (d < 1) w.fail(n, "new_zeros of sizes " + sizes_str(sizes));
    }
    w.set(n, 0, computed(sizes));
    return true;
  }
  if (n.inputs.empty() || !is_computed(w.arg(n, 0))) {
    for (size_t i = 1; i < n.inputs.size(); ++i) {
      if (is_computed(w.arg(n, i)) && n.kind != "aten::add" && n.kind != "aten::sub" && n.kind != "aten::mul") {
        w.fail(n, "'" + n.kind + "' of a tensor computed at import as input " + std::to_string(i));
      }
    }
    return false;  // a network tensor plus a computed constant: the op's own handler adds a constant
  }
  w.set(n, 0, computed(result_sizes(w, n, w.arg(n, 0).sizes)));
  return true;
}

void add_fold_ops(OpTable& t) {
  for (const char* op :
       {"aten::new_zeros", "aten::fill_", "aten::masked_fill", "aten::ne", "aten::eq", "aten::zero_"}) {
    t[op] = op_fold_only;
  }
}

}  // namespace rp::traces::ts
