// Convolution and batch-norm ops (aten::_convolution / convolution (input, weight, bias, stride, padding,
// dilation, transposed, output_padding, groups, ...), aten::conv2d (input, weight, bias, stride, padding, dilation,
// groups)). Weights are constants after freezing; their shapes give the
// filter counts and kernel sizes, and the expected input channels are checked against the propagated shape.
#include <string>
#include <vector>

#include "traces/torchscript/layout.h"
#include "traces/torchscript/op_table.h"
#include "traces/torchscript/walker.h"

namespace rp::traces::ts {
namespace {

std::vector<int64_t> pair_arg(Walker& w, const TsNode& n, size_t i, const char* what) {
  std::vector<int64_t> v = w.ints_arg(n, i);
  if (v.size() == 1) v.push_back(v[0]);
  if (v.size() != 2) w.fail(n, std::string(what) + " " + sizes_str(v) + " is not 2-D");
  return v;
}

Padding conv_padding(Walker& w, const TsNode& n, size_t i) {
  const Sym& p = w.arg(n, i);
  if (p.kind == Sym::Kind::kString) {
    if (p.str == "same") return Padding::same();
    if (p.str == "valid") return Padding::explicit_pad(0, 0, 0, 0);
    w.fail(n, "unknown padding '" + p.str + "'");
  }
  const std::vector<int64_t> v = pair_arg(w, n, i, "padding");
  const int ph = static_cast<int>(v[0]), pw = static_cast<int>(v[1]);
  return Padding::explicit_pad(ph, ph, pw, pw);
}

// Shared by aten::_convolution / aten::convolution (groups at 8) and aten::conv2d (groups at 6).
void convolution(Walker& w, const TsNode& n, size_t groups_index) {
  const int x = nchw_layer(w, n, 0);
  const std::vector<int64_t>& wt = w.weight(n, 1, 4);
  const std::vector<int64_t> stride = pair_arg(w, n, 3, "stride");
  const std::vector<int64_t> dilation = pair_arg(w, n, 5, "dilation");
  if (dilation[0] != 1 || dilation[1] != 1) w.fail(n, "dilation " + sizes_str(dilation) + " is not supported (only 1)");
  const int64_t groups = w.int_arg(n, groups_index);
  const int64_t channels = w.shape(x).c;
  if (wt[1] * groups != channels) {
    w.fail(n, "the convolution expects " + std::to_string(wt[1] * groups) + " input channels, got " +
                  std::to_string(channels) + " (does --input-shape match the model?)");
  }
  ConvAttrs a;
  a.kernel_h = static_cast<int>(wt[2]);
  a.kernel_w = static_cast<int>(wt[3]);
  a.stride_h = static_cast<int>(stride[0]);
  a.stride_w = static_cast<int>(stride[1]);
  a.padding = conv_padding(w, n, 4);
  a.groups = static_cast<int>(groups);
  a.filters = wt[0];
  a.bias = !w.is_none(n, 2);
  w.set_layer(n, w.net().add_conv2d(w.name(n), x, a), 4);
}

void op_convolution(Walker& w, const TsNode& n) {
  if (w.bool_arg(n, 6)) w.fail(n, "transposed convolution is not supported");
  convolution(w, n, 8);
}

void op_conv2d(Walker& w, const TsNode& n) { convolution(w, n, 6); }

// aten::batch_norm (input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled).
void op_batch_norm(Walker& w, const TsNode& n) {
  const int x = w.rank(n, 0) == 4 ? nchw_layer(w, n, 0) : w.layer(n, 0);
  const Sym& mean = w.arg(n, 3);
  if (mean.kind == Sym::Kind::kTensorConst && mean.sizes != std::vector<int64_t>{w.shape(x).c}) {
    w.fail(n, "batch norm over " + sizes_str(mean.sizes) + " channels, got " + std::to_string(w.shape(x).c));
  }
  w.set_layer(n, w.net().add_batch_norm(w.name(n), x), w.rank(n, 0));
}

}  // namespace

void add_conv_ops(OpTable& t) {
  t["aten::_convolution"] = op_convolution;
  t["aten::convolution"] = op_convolution;
  t["aten::conv2d"] = op_conv2d;
  t["aten::batch_norm"] = op_batch_norm;
}

}  // namespace rp::traces::ts
