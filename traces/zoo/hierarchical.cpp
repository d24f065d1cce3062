#include "traces/zoo/hierarchical.h"

#include "simulator/error.h"
#include "traces/zoo/transformer.h"

namespace rp::traces {
namespace {

ConvAttrs patch_conv(int k, int64_t filters) {
  ConvAttrs a;
  a.kernel_h = a.kernel_w = a.stride_h = a.stride_w = k;
  a.padding = Padding::valid();
  a.filters = filters;
  a.bias = true;
  return a;
}

// One Swin block on x (B, H, W, C): window attention (shifted when shift > 0), then the MLP, both residual. The
// relative position bias table ((2 window - 1)^2 x heads, learned) is a constant: the IR's attention has no bias
// input, so its parameters count while its add to the scores is part of the attention op.
int swin_block(Network& n, const std::string& p, int x, int window, int shift, int heads, int mlp_ratio) {
  n.set_group(p);
  const Shape in = n.layer(x).output;
  int h = n.add_layer_norm(p + "/ln1", x);
  if (shift > 0) h = n.add_roll(p + "/shift", h, -shift);
  h = n.add_window_partition(p + "/windows", h, window);
  n.add_constant(p + "/attn/relative_position_bias", {1, 1, int64_t{2 * window - 1} * (2 * window - 1), heads});
  h = self_attention(n, p + "/attn", h, heads, true, false, 0);
  h = n.add_window_reverse(p + "/merge_windows", h, window, in.h, in.w);
  if (shift > 0) h = n.add_roll(p + "/unshift", h, shift);
  h = n.add_add(p + "/add1", x, h);
  int m = n.add_layer_norm(p + "/ln2", h);
  m = mlp_block(n, p + "/mlp", m, in.c * mlp_ratio);
  return n.add_add(p + "/add2", h, m);
}

// Swin patch merging: each 2x2 neighbourhood concatenated (space-to-depth, C -> 4C), LN, dense 4C -> 2C.
int patch_merging(Network& n, const std::string& p, int x) {
  n.set_group(p);
  const int64_t c = n.layer(x).output.c;
  x = n.add_space_to_depth(p + "/gather", x, 2);
  x = n.add_layer_norm(p + "/ln", x);
  return n.add_dense(p + "/reduce", x, 2 * c, false);
}

int convnext_block(Network& n, const std::string& p, int x, int kernel, int mlp_ratio) {
  n.set_group(p);
  const int64_t c = n.layer(x).output.c;
  ConvAttrs dw;
  dw.kernel_h = dw.kernel_w = kernel;
  dw.padding = Padding::explicit_pad(kernel / 2, kernel / 2, kernel / 2, kernel / 2);
  dw.groups = static_cast<int>(c);
  dw.filters = c;
  dw.bias = true;
  int h = n.add_conv2d(p + "/depthwise", x, dw);
  h = n.add_layer_norm(p + "/ln", h);
  h = mlp_block(n, p + "/mlp", h, c * mlp_ratio);
  h = n.add_mul(p + "/layer_scale", h, n.add_constant(p + "/layer_scale/gamma", {1, 1, 1, c}));
  return n.add_add(p + "/add", x, h);
}

}  // namespace

Network build_swin(const SwinSpec& s, const BuildOptions& options) {
  const int res = options.resolution > 0 ? options.resolution : s.resolution;
  Network n(s.name, options.dtype);
  int x = n.add_input("input", {options.batch, res, res, 3});
  n.set_group("stem");
  x = n.add_conv2d("stem/patch", x, patch_conv(s.patch, s.dim));
  x = n.add_layer_norm("stem/ln", x);
  for (int stage = 0; stage < 4; ++stage) {
    const std::string sp = "stages." + std::to_string(stage);
    if (stage > 0) x = patch_merging(n, sp + ".merge", x);
    const int64_t side = n.layer(x).output.h;
    const bool whole = side <= s.window;  // one window of the whole stage, unshifted (reference code)
    const int window = whole ? static_cast<int>(side) : s.window;
    if (!whole && side % s.window != 0) {
      throw UsageError(s.name + ": stage " + std::to_string(stage + 1) + " runs at " + std::to_string(side) + " x " +
                       std::to_string(side) + ", not a multiple of window " + std::to_string(s.window) +
                       " (resolution " + std::to_string(res) + ")");
    }
    for (int b = 0; b < s.depths[static_cast<size_t>(stage)]; ++b) {
      const int shift = (b % 2 == 1 && !whole) ? window / 2 : 0;
      x = swin_block(n, sp + "." + std::to_string(b), x, window, shift, s.heads[static_cast<size_t>(stage)],
                     s.mlp_ratio);
    }
  }
  n.set_group("head");
  x = n.add_layer_norm("head/ln", x);
  x = n.add_global_avg_pool("head/pool", x);
  n.add_dense("head/classifier", x, s.classes);
  return n;
}

Network build_convnext(const ConvNextSpec& s, const BuildOptions& options) {
  const int res = options.resolution > 0 ? options.resolution : s.resolution;
  Network n(s.name, options.dtype);
  int x = n.add_input("input", {options.batch, res, res, 3});
  n.set_group("stem");
  x = n.add_conv2d("stem/patch", x, patch_conv(s.patch, s.dims[0]));
  x = n.add_layer_norm("stem/ln", x);
  for (int stage = 0; stage < 4; ++stage) {
    const std::string sp = "stages." + std::to_string(stage);
    if (stage > 0) {
      n.set_group(sp + ".downsample");
      x = n.add_layer_norm(sp + ".downsample/ln", x);
      x = n.add_conv2d(sp + ".downsample/conv", x, patch_conv(2, s.dims[static_cast<size_t>(stage)]));
    }
    for (int b = 0; b < s.depths[static_cast<size_t>(stage)]; ++b) {
      x = convnext_block(n, sp + "." + std::to_string(b), x, s.kernel, s.mlp_ratio);
    }
  }
  n.set_group("head");
  x = n.add_global_avg_pool("head/pool", x);
  x = n.add_layer_norm("head/ln", x);
  n.add_dense("head/classifier", x, s.classes);
  return n;
}

}  // namespace rp::traces
