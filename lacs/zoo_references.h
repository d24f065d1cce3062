#pragma once
// The zoo's model families as references for a LACS run (plotted beside the generated families): EfficientNet
// B0..B7, EfficientNet-X B0..B7 with EfficientNet's coefficients, and the LACS-scaled X-tpu / X-gpu B0..B7, each
// simulated on the run's accelerator and batch, with its published ImageNet top-1 where there is one:
//   efficientnet-bN: EfficientNet paper Table 2 (76.3 .. 84.4);
//   efficientnet-x-tpu-bN / -gpu-bN: EfficientNet-X paper Table 3 (77.3 .. 84.7, the lower of TPU and GPU);
//   efficientnet-x-bN: none (NaN); the surrogate's estimate is given for every model.
#include <cstdint>
#include <string>
#include <vector>

#include "lacs/point_eval.h"

namespace rp::lacs {

struct ZooReference {
  std::string family;  // efficientnet, efficientnet-x, efficientnet-x-tpu, efficientnet-x-gpu
  std::string name;
  int level = 0;
  double latency_ms = 0;   // NaN when infeasible
  int64_t macs = 0, params = 0;
  double published_top1 = 0;  // NaN when not published
  double surrogate_top1 = 0;  // relative to the family's own B0 at its published top-1 (X-B0: 77.3)
};

std::vector<ZooReference> zoo_references(LatencyOracle& oracle, const Surrogate& s);

}  // namespace rp::lacs
