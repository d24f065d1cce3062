#pragma once
// The two building steps every zoo builder repeats (MBConv family, ResNet, HURRICANE's op pool, skeletons).
#include <cstdint>
#include <optional>
#include <string>

#include "traces/network/network.h"

namespace rp::traces {

// A square k x k convolution with stride s (SAME padding unless changed by the caller).
ConvAttrs square_conv(int k, int s, int64_t filters, int groups = 1, bool bias = false);

// conv `name` -> batch norm `name/bn` -> optional activation `name/<act>`; returns the last layer's id.
int conv_bn(Network& n, const std::string& name, int x, const ConvAttrs& a, std::optional<Act> act);

}  // namespace rp::traces
