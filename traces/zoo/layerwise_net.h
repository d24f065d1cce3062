#pragma once
// The macro skeleton of HURRICANE's layer-level space: a fixed first layer (stem), n learnable layers each of which
// holds one op of traces/zoo/op_pool.h, and a fixed last part (head). The default is SPOS's ShuffleNetV2-style
// macro (Guo et al., "Single Path One-Shot NAS", ECCV 2020), which HURRICANE's search builds on:
//   stem   conv 3x3 stride 2 -> 16 + BN + ReLU                                  (fixed)
//   stages of 4, 4, 8, 4 learnable layers at 64, 160, 320, 640 channels; the first layer of each stage has
//          stride 2 (224 -> 112 -> 56 -> 28 -> 14 -> 7)                         (n = 20 learnable layers)
//   head   conv 1x1 -> 1024 + BN + ReLU, global average pool, dense -> 1000       (fixed)
// Another n spreads n layers over the four stages in the same 1:1:2:1 proportion (largest remainder, each >= 1).
// The proxy (Fashion-MNIST, 28 x 28 x 1, 10 classes) keeps the structure at width x 0.25 (channels rounded to an
// even count >= 8, so Choice units can split them) with a stride-1 stem (28 -> 14 -> 7 -> 4 -> 2).
#include <cstdint>
#include <string>
#include <vector>

#include "traces/network/network.h"
#include "traces/zoo/op_pool.h"

namespace rp::traces {

struct Skeleton {
  int resolution = 224;
  int input_channels = 3;
  int64_t stem_filters = 16;
  int stem_stride = 2;
  std::vector<int> stage_layers = {4, 4, 8, 4};
  std::vector<int64_t> stage_channels = {64, 160, 320, 640};
  int64_t head_filters = 1024;
  int classes = 1000;

  int layers() const;  // learnable layers: the sum of stage_layers
};

// The default skeleton with `layers` learnable layers (4..64; UsageError otherwise).
Skeleton default_skeleton(int layers = 20);
// The proxy-scale skeleton of `s` (see above); another input than Fashion-MNIST's (HURRICANE's retrain.dataset):
// square images of `side` with `channels`, and `classes`.
Skeleton proxy_skeleton(const Skeleton& s, double width = 0.25, int side = 28, int channels = 1, int classes = 10);

// Where learnable layer `index` sits: its input and output widths, stride and input size.
struct Slot {
  int index = 0, stage = 0;
  int64_t in_channels = 0, out_channels = 0;
  int stride = 1;
  int in_h = 0, in_w = 0;
};
std::vector<Slot> slots(const Skeleton& s);

// The whole network with ops[i] at learnable layer i (groups "stem", "layers.i", "head").
// UsageError when ops.size() != s.layers().
Network layerwise_network(const std::string& name, const Skeleton& s, const std::vector<OpSpec>& ops, int64_t batch,
                          DType dtype);
// One op standalone: an input of the slot's shape, then the op (what HURRICANE benchmarks per layer).
Network op_network(const Skeleton& s, const Slot& slot, const OpSpec& op, int64_t batch, DType dtype);
// The fixed pieces standalone: input -> stem; input of the last layer's output -> head.
Network stem_network(const Skeleton& s, int64_t batch, DType dtype);
Network head_network(const Skeleton& s, int64_t batch, DType dtype);

// A network file (docs/models.md, "Layer-wise networks") for `ops` on `s`; `comment` lines go on top.
std::string layerwise_yaml(const std::string& name, const Skeleton& s, const std::vector<OpSpec>& ops,
                           const std::vector<std::string>& comment);

}  // namespace rp::traces
