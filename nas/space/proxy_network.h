#pragma once
// The proxy of an architecture: the same builder (traces/zoo/mbconv_family.h), hence the same blocks, op types,
// kernels, expansions, SE, activations, fused or depthwise convs, space-to-depth and strides as the ImageNet-scale
// network, at a reduced width and with a stem suited to 28 x 28 Fashion-MNIST images:
//   width x `width` (default 0.25) with channels rounded to integers, the stem a 3 x 3
//   stride-1 conv (ImageNet: stride 2; 28 x 28 then shrinks 16x through the blocks' strides, to 2 x 2),
//   10 classes, input 28 x 28 x 1 (grayscale), fp32, batch 1 (the trainer uses any batch).
// The ImageNet channel counts are multiples of 8, so for width >= 0.125 distinct counts stay distinct and every
// identity skip (added when a block's input and output channels match) is kept exactly (tested by walking both).
// nas/train turns this IR into a LibTorch module layer by layer.
#include "nas/space/search_space.h"
#include "traces/network/network.h"

namespace rp::nas {

struct ProxyOptions {
  double width = 0.25;  // multiplier of every block's (and the stem's and head's) filters
  int divisor = 1;      // channel rounding of round_filters (1: exact; keeps which blocks have skips, see below)
  int resolution = 28;
  int channels = 1;  // input channels (Fashion-MNIST: 1)
  int classes = 10;
};

traces::Network proxy_network(const SearchSpace& space, const Choices& c, const ProxyOptions& o = {});

// `src` copied layer by layer onto an input of `channels` channels (the builder makes RGB inputs; Fashion-MNIST is
// grayscale). Supports the layer kinds of MBConv networks; std::logic_error for another kind.
traces::Network with_input_channels(const traces::Network& src, int channels);

// A fixed small CNN (not from a space), for trainer tests: conv 3x3 16 + BN + ReLU + max-pool 2, conv 3x3 32 +
// BN + ReLU + max-pool 2, flatten, dense 10 (published two-conv nets of this kind reach ~84% after one epoch on
// 10K Fashion-MNIST images).
traces::Network small_cnn(const ProxyOptions& o = {});

}  // namespace rp::nas
