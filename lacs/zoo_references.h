#pragma once
// The zoo's model families as references for a LACS run (plotted beside the generated families): EfficientNet
// B0..B7, EfficientNet-X B0..B7 with EfficientNet's coefficients, and the LACS-scaled X-tpu / X-gpu B0..B7, each
// simulated on the run's accelerator and batch (accel::evaluate_model, the one zoo-reference helper), with its
// published ImageNet top-1 where there is one:
//   efficientnet-bN: EfficientNet paper Table 2 (76.3 .. 84.4);
//   efficientnet-x-tpu-bN / -gpu-bN: EfficientNet-X paper Table 3 (77.3 .. 84.7, the lower of TPU and GPU);
//   efficientnet-x-bN: none (NaN); the surrogate's estimate is given for every model.
#include <cstdint>
#include <string>
#include <vector>

#include "accel_models/evaluate.h"
#include "lacs/surrogate.h"
#include "simulator/error.h"
#include "simulator/record.h"

namespace rp::lacs {

struct ZooReference {
  std::string family;  // efficientnet, efficientnet-x, efficientnet-x-tpu, efficientnet-x-gpu
  std::string name;
  int level = 0;
  double latency_ms = 0;         // NaN when infeasible
  int64_t macs = 0, params = 0;  // MACs per image
  double published_top1 = 0;     // NaN when not published
  double surrogate_top1 = 0;     // relative to the family's own B0 at its published top-1 (X-B0: 77.3)
};
// The columns of /zoo: family, name, level, latency_ms, macs, params, published_top1, surrogate_top1.
void zoo_columns(Columns& c, ZooReference& z);

// `evaluator`: the run's accelerator; the models are built at `batch`. Polls `stop` before each model.
std::vector<ZooReference> zoo_references(accel::Evaluator& evaluator, int64_t batch, const Surrogate& s,
                                         const StopCheck& stop = {});

}  // namespace rp::lacs
