#pragma once
// ResNet-50 v1.5 as in torchvision (stride on the 3x3 conv of each bottleneck; explicit PyTorch padding).
#include <cstdint>

#include "traces/network/network.h"

namespace rp::traces {

Network build_resnet50(int resolution, int64_t batch, DType dtype);

}  // namespace rp::traces
