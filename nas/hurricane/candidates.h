#pragma once
// The networks of a HURRICANE space's candidates: the supernet at proxy scale, one candidate as a proxy network
// (retraining from scratch) and at ImageNet scale (its latency, the winner's network file). Built from the kept
// ops' names per layer (HwSpace::choices()) on the default skeleton (traces/zoo/layerwise_net.h).
#include <string>
#include <vector>

#include "nas/hurricane/search/evolution.h"
#include "nas/hurricane/supernet/supernet.h"
#include "traces/network/network.h"

namespace rp::hurricane {

using Choices = std::vector<std::vector<std::string>>;  // per layer, the kept ops' names

// The supernet of a space at proxy scale (proxy_skeleton of default_skeleton(layers), width multiplier `width`).
SupernetSpec supernet_spec(const Choices& choices, double width);
// The candidate `a` at proxy scale, for retraining on `data` (its side, channels and largest label + 1 classes).
traces::Network proxy_candidate(const Choices& choices, const Arch& a, double width, const traces::FashionMnist& data);
traces::Network imagenet_candidate(const Choices& choices, const Arch& a, int resolution, int64_t batch,
                                   traces::DType dtype, const std::string& name = "candidate");

}  // namespace rp::hurricane
