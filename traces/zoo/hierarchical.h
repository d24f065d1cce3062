#pragma once
// Four-stage hierarchical vision networks as data: Swin Transformer (shifted-window attention) and ConvNeXt. Each
// stage halves the resolution and doubles the channels; details in docs/models.md.
#include <array>
#include <cstdint>
#include <string>

#include "traces/network/network.h"
#include "traces/zoo/zoo.h"

namespace rp::traces {

struct SwinSpec {
  std::string name;
  std::array<int, 4> depths{{2, 2, 6, 2}};  // blocks per stage
  std::array<int, 4> heads{{3, 6, 12, 24}};
  int64_t dim = 96;  // stage-1 channels (doubled by each patch merging)
  int patch = 4;
  int window = 7;
  int mlp_ratio = 4;
  int classes = 1000;
  int resolution = 224;  // default
};

struct ConvNextSpec {
  std::string name;
  std::array<int, 4> depths{{3, 3, 9, 3}};
  std::array<int64_t, 4> dims{{96, 192, 384, 768}};
  int patch = 4;   // stem: patch x patch conv, stride patch
  int kernel = 7;  // depthwise kernel
  int mlp_ratio = 4;
  int classes = 1000;
  int resolution = 224;
};

// Swin (Liu et al. 2021): patch embedding (conv + layer norm), per stage its blocks (LN, window attention, shifted by
// window / 2 in every second block via kRoll, LN, MLP; both residual), patch merging (2x2 space-to-depth, LN,
// dense 4C -> 2C) between stages; LN, global pool, classifier. As in the reference code, a stage whose resolution is
// at most the window uses one window of its whole resolution and no shift. Throws UsageError when a stage's
// resolution is not a multiple of the window.
Network build_swin(const SwinSpec& s, const BuildOptions& options);

// ConvNeXt (Liu et al. 2022): stem conv patch / patch + LN; blocks of depthwise k x k conv, LN, dense 4C, GELU,
// dense C, layer scale (a learned per-channel constant multiplied in), residual add (stochastic depth is the identity
// at inference: nothing); LN + 2x2 stride-2 conv between stages; global pool, LN, classifier.
Network build_convnext(const ConvNextSpec& s, const BuildOptions& options);

}  // namespace rp::traces
