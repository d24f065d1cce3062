#pragma once
// The figures of the golden regression (golden_dump.cpp): for each network of kGoldenNetworks at the accelerator's
// default batch and precision, "network key value" lines with values printed to 17 significant digits.
#include <string>
#include <vector>

namespace rp::golden {

// Eight zoo networks spanning the op mix: MBConv with swish and SE, fused MBConv, ReLU variants, space-to-depth,
// vanilla residual convolutions, inverted residuals without SE, and a NAS-found mobile network.
inline const std::vector<std::string> kGoldenNetworks = {
    "efficientnet-b0",       "efficientnet-b4", "efficientnet-x-b0", "efficientnet-x-b0-relu",
    "efficientnet-x-tpu-b2", "resnet-50",       "mobilenet-v2",      "mnasnet-a1"};

std::vector<std::string> figures(const std::string& accelerator);

}  // namespace rp::golden
