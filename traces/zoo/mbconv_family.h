#pragma once
// Builder for the MBConv family (EfficientNet, EfficientNet-X, MnasNet, MobileNetV2): stem conv, blocks from
// block strings, head conv, global pool and classifier. Follows tensorflow/tpu efficientnet_model.py
// (round_filters, round_repeats, space-to-depth handling, SE sizing, skip rule); see docs/models.md.
#include <cstdint>
#include <string>
#include <vector>

#include "traces/network/network.h"
#include "traces/zoo/block_string.h"

namespace rp::traces {

struct FamilyParams {
  double width = 1.0;  // width coefficient (round_filters)
  double depth = 1.0;  // depth coefficient (round_repeats)
  int resolution = 224;
  double se_coefficient = 1.0;  // EfficientNet-X: 4 for B0, 2 for B1, 1 otherwise
  int depth_divisor = 8;
  int stem_filters = 32, stem_kernel = 3, stem_stride = 2;
  int head_filters = 1280;
  int num_classes = 1000;
  Act block_act = Act::kSwish;  // blocks without an 'a' flag
  Act stem_act = Act::kSwish;
  Act head_act = Act::kSwish;
};

// TF round_filters: width-scaled filters rounded to a multiple of the divisor (at least the divisor), adding one
// divisor when rounding lost more than 10%.
int round_filters(int filters, double width, int divisor = 8);
// TF round_repeats: ceil(depth * repeats).
int round_repeats(int repeats, double depth);

Network build_mbconv_family(const std::string& name, const std::vector<BlockArgs>& blocks, const FamilyParams& p,
                            int64_t batch, DType dtype);

}  // namespace rp::traces
