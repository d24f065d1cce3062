// Pooling: max / average windows (PyTorch ceil_mode becomes extra bottom / right padding), adaptive average
// pooling (to 1 x 1: a global average pool; to an output that divides the input: a plain average pool), and
// mean over the spatial dimensions.
#include <string>
#include <vector>

#include "traces/torchscript/layout.h"
#include "traces/torchscript/op_table.h"
#include "traces/torchscript/walker.h"

namespace rp::traces::ts {
namespace {

std::vector<int64_t> pair(Walker& w, const TsNode& n, size_t i, const std::vector<int64_t>& fallback) {
  std::vector<int64_t> v = w.ints_arg(n, i);
  if (v.empty()) v = fallback;  // stride [] means stride = kernel
  if (v.size() == 1) v.push_back(v[0]);
  if (v.size() != 2) w.fail(n, "pooling argument " + sizes_str(v) + " is not 2-D");
  return v;
}

// PyTorch's pooling output size of one dimension (pooling_output_shape: the division rounds down, also below zero).
int64_t pool_out(int64_t in, int64_t k, int64_t s, int64_t p, bool ceil) {
  const int64_t num = in + 2 * p - k + (ceil ? s - 1 : 0);
  int64_t out = (num >= 0 ? num / s : -((-num + s - 1) / s)) + 1;
  if (ceil && out > 0 && (out - 1) * s >= in + p) --out;  // the last window must start inside the input or padding
  return out;
}

// Extra padding at the end of a dimension that makes floor-mode output sizes equal PyTorch's ceil mode.
int ceil_extra(int64_t in, int64_t k, int64_t s, int64_t p) {
  const int64_t extra = (pool_out(in, k, s, p, true) - 1) * s + k - (in + 2 * p);
  return extra > 0 ? static_cast<int>(extra) : 0;
}

// kernel, stride, padding at inputs 1, 2, 3; ceil_mode at `ceil_index`.
ConvAttrs window(Walker& w, const TsNode& n, int x, size_t ceil_index) {
  const std::vector<int64_t> k = pair(w, n, 1, {});
  const std::vector<int64_t> s = pair(w, n, 2, k);
  const std::vector<int64_t> p = pair(w, n, 3, {});
  const Shape& in = w.shape(x);
  const bool ceil = w.bool_arg(n, ceil_index);
  for (int d = 0; d < 2; ++d) {  // PyTorch rejects a window larger than the (padded) input, ceil mode or not
    const int64_t size = d == 0 ? in.h : in.w;
    if (k[d] < 1 || s[d] < 1 || p[d] < 0) w.fail(n, "pooling kernel, stride or padding out of range");
    if (pool_out(size, k[d], s[d], p[d], ceil) < 1) {
      w.fail(n, "a " + std::to_string(k[d]) + "-wide pooling window does not fit an input of size " +
                    std::to_string(size));
    }
  }
  const int eh = ceil ? ceil_extra(in.h, k[0], s[0], p[0]) : 0;
  const int ew = ceil ? ceil_extra(in.w, k[1], s[1], p[1]) : 0;
  ConvAttrs a;
  a.kernel_h = static_cast<int>(k[0]);
  a.kernel_w = static_cast<int>(k[1]);
  a.stride_h = static_cast<int>(s[0]);
  a.stride_w = static_cast<int>(s[1]);
  const int ph = static_cast<int>(p[0]), pw = static_cast<int>(p[1]);
  a.padding = Padding::explicit_pad(ph, ph + eh, pw, pw + ew);
  return a;
}

int pool_input(Walker& w, const TsNode& n) {
  if (w.rank(n, 0) != 4) w.fail(n, "2-D pooling of a rank-" + std::to_string(w.rank(n, 0)) + " tensor");
  return nchw_layer(w, n, 0);
}

void op_max_pool(Walker& w, const TsNode& n) {  // (x, kernel, stride, padding, dilation, ceil_mode)
  const int x = pool_input(w, n);
  const std::vector<int64_t> d = pair(w, n, 4, {1});
  if (d[0] != 1 || d[1] != 1) w.fail(n, "max pooling with dilation " + sizes_str(d) + " is not supported");
  w.set_layer(n, w.net().add_max_pool(w.name(n), x, window(w, n, x, 5)), 4);
}

void op_avg_pool(Walker& w, const TsNode& n) {  // (x, kernel, stride, padding, ceil_mode, count_include_pad, ...)
  const int x = pool_input(w, n);
  w.set_layer(n, w.net().add_avg_pool(w.name(n), x, window(w, n, x, 4)), 4);
}

void op_adaptive_avg_pool(Walker& w, const TsNode& n) {
  const int x = pool_input(w, n);
  const std::vector<int64_t> out = pair(w, n, 1, {});
  const Shape& in = w.shape(x);
  if (out[0] == 1 && out[1] == 1) {
    w.set_layer(n, w.net().add_global_avg_pool(w.name(n), x), 4);
  } else if (out[0] == in.h && out[1] == in.w) {
    w.set_layer(n, x, 4);  // already the requested size: the identity
  } else if (out[0] > 0 && out[1] > 0 && in.h % out[0] == 0 && in.w % out[1] == 0) {
    ConvAttrs a;
    a.kernel_h = a.stride_h = static_cast<int>(in.h / out[0]);
    a.kernel_w = a.stride_w = static_cast<int>(in.w / out[1]);
    a.padding = Padding::valid();
    w.set_layer(n, w.net().add_avg_pool(w.name(n), x, a), 4);
  } else {
    w.fail(n, "adaptive average pooling from " + std::to_string(in.h) + "x" + std::to_string(in.w) + " to " +
                  sizes_str(out) + " (only 1x1 or an output size that divides the input)");
  }
}

void op_mean(Walker& w, const TsNode& n) {  // (x, dims, keepdim, dtype)
  const int x = pool_input(w, n);
  std::vector<int64_t> dims = w.ints_arg(n, 1);
  bool h = false, wd = false;
  for (int64_t d : dims) {
    const int nd = norm_dim(d, 4);
    h = h || nd == 2;
    wd = wd || nd == 3;
    if (nd != 2 && nd != 3) w.fail(n, "mean over dims " + sizes_str(dims) + " (only the spatial dims 2 and 3)");
  }
  if (!h || !wd) w.fail(n, "mean over dims " + sizes_str(dims) + " (only over both spatial dims 2 and 3)");
  const bool keepdim = w.arg_count(n) > 2 && w.bool_arg(n, 2);
  w.set_layer(n, w.net().add_global_avg_pool(w.name(n), x), keepdim ? 4 : 2);
}

}  // namespace

void add_pool_ops(OpTable& t) {
  t["aten::max_pool2d"] = op_max_pool;
  t["aten::avg_pool2d"] = op_avg_pool;
  t["aten::adaptive_avg_pool2d"] = op_adaptive_avg_pool;
  t["aten::mean"] = op_mean;
}

}  // namespace rp::traces::ts
