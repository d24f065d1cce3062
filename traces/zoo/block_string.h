#pragma once
// EfficientNet / MnasNet / EfficientNet-X block strings, e.g. "r2_k3_s22_e6_i16_o24_se0.25_f1_d2_a1".
// Keys (tensorflow/tpu efficientnet_builder.py BlockDecoder; see docs/models.md):
//   r repeats, k kernel, s strides (one or two digits), e expand ratio, i / o input / output filters,
//   se squeeze-excite ratio in (0, 1], noskip no identity skip, f1 fused MBConv (k x k conv replaces the
//   1x1 expand + depthwise), dN space-to-depth mode (0, 1, 2), aN activation (a0 relu, a1 swish).
#include <optional>
#include <string>
#include <vector>

#include "traces/network/layer.h"

namespace rp::traces {

struct BlockArgs {
  int num_repeat = 1;
  int kernel_size = 3;
  int stride_h = 1, stride_w = 1;
  int expand_ratio = 1;
  int input_filters = 0;
  int output_filters = 0;
  std::optional<double> se_ratio;
  bool id_skip = true;
  bool fused = false;
  int space2depth = 0;
  std::optional<Act> activation;  // unset: the network's default activation
};

// Throws UsageError naming the block string and the bad token.
BlockArgs decode_block(const std::string& s);
std::string encode_block(const BlockArgs& b);
std::vector<BlockArgs> decode_blocks(const std::vector<std::string>& strings);

}  // namespace rp::traces
