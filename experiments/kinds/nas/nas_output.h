#pragma once
// What a `kind: nas` run writes (schema in docs/nas.md):
//   OUTPUT (HDF5)  /samples     one row per sample in step order (nas::sample_columns)
//                  /references  zoo models on the same accelerator, batch and resolution: name, latency_ms (NaN
//                               when infeasible), macs (per image), params
//                  /winners     the winner (best feasible reward) scored once on the held-out test split after
//                               the search: rank, step, arch, val_accuracy (the search's rating), test_accuracy
//                               (NaN when the accuracy source has no test split), test_note; no row when nothing
//                               was feasible
//                  attributes of /: the run's (run_context.h: with accelerator, accelerator_config) and space,
//                               space_size, reward, target_latency_ms, reward_control
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

struct NasWinner {
  int64_t rank = 1, step = 0;
  std::string arch;
  double val_accuracy = 0;   // the search's rating (validation split)
  double test_accuracy = 0;  // the test split's, scored once after the search; NaN: not scored
  std::string test_note;     // how it was scored, or why not
};
void winner_columns(Columns& c, NasWinner& w);
// The best feasible sample by reward (ties: the earlier step); null when none is feasible.
const nas::Sample* best_sample(const std::vector<nas::Sample>& samples);

// The best-architecture files into the run's directory; returns their paths, best first. A winner's comment also
// gives its test-split accuracy (matched by arch).
std::vector<std::string> write_best_networks(run::RunContext& ctx, const NasSettings& s, const nas::SearchSpace& space,
                                             const std::vector<nas::Sample>& samples,
                                             const std::vector<NasWinner>& winners, int count = 3);
void write_nas_output(run::RunContext& ctx, const NasSettings& s, const nas::SearchSpace& space,
                      const std::vector<nas::Sample>& samples, const std::vector<NasReference>& references,
                      const std::vector<NasWinner>& winners);

}  // namespace rp::kinds
