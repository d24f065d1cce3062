#pragma once
// What a `kind: nas` run writes (schema in docs/nas.md):
//   OUTPUT (HDF5)  /samples     one row per sample in step order (nas::sample_columns)
//                  /references  zoo models on the same accelerator, batch and resolution: name, latency_ms (NaN
//                               when infeasible), macs (per image), params
//                  attributes of /: the run's (run_context.h: with accelerator, accelerator_config) and space,
//                               space_size, reward, target_latency_ms
//   STEM.files/best1.yaml, best2.yaml, best3.yaml: the best feasible distinct architectures by reward (ties: the
//                               earlier step) as network files `ridgepoint simulate` accepts.
#include <string>
#include <vector>

#include "accel_models/evaluate.h"
#include "experiments/kinds/nas/nas_settings.h"
#include "experiments/run/run_context.h"
#include "nas/search/nas_search.h"

namespace rp::kinds {

struct NasReference {
  std::string name;
  double latency_ms = 0;
  int64_t macs = 0, params = 0;
};
void reference_columns(Columns& c, NasReference& r);
std::vector<NasReference> nas_references(accel::Evaluator& evaluator, int64_t batch, int resolution);

// The best-architecture files into the run's directory; returns their paths, best first.
std::vector<std::string> write_best_networks(run::RunContext& ctx, const NasSettings& s, const nas::SearchSpace& space,
                                             const std::vector<nas::Sample>& samples, int count = 3);
void write_nas_output(run::RunContext& ctx, const NasSettings& s, const nas::SearchSpace& space,
                      const std::vector<nas::Sample>& samples, const std::vector<NasReference>& references);

}  // namespace rp::kinds
