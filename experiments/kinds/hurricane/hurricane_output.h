#pragma once
// What a `kind: hurricane` run writes (schema in docs/hurricane.md):
//   OUTPUT (HDF5)  /space    one row per (layer, op of the pool) (hurricane::space_row_columns)
//                  /stage1, /stage2   every candidate the search drew (hurricane::candidate_columns)
//                  /result   one row per reported architecture: a_win0, a_win1, (a_win2) (result_columns,
//                            retrain_source.h)
//                  attributes of /: the run's (run_context.h: with accelerator, accelerator_config) and batch,
//                  resolution, latency_constraint_ms, space_size, space_benchmarks, winner_yaml, accuracy_source,
//                  accuracy_budget, accuracy_table_misses (accuracy_source.h), stageN_active_layers ("0011...": 1 where stage N searched the layer), stageN_train_images
//   STEM.files/winner.yaml   the winner as a network file that `ridgepoint simulate` accepts (written first: the
//                  HDF5 output, written last, means the run finished)
//   STEM.files/stageN.ckpt, stageN.weights   the supernet's training state and weights after stage N (resume,
//                  the fitness workers)
#include <string>

#include <vector>

#include "experiments/kinds/hurricane/hurricane_settings.h"
#include "experiments/kinds/hurricane/retrain_source.h"
#include "experiments/run/run_context.h"
#include "nas/hurricane/two_stage.h"

namespace rp::kinds {

// The winner's network file into the run's directory; returns its path.
std::string write_winner_yaml(run::RunContext& ctx, const HurricaneSettings& s, const hurricane::HwSpace& space,
                              const hurricane::TwoStageOutcome& out);
// `rows`: /result (rated_results).
void write_hurricane_output(run::RunContext& ctx, const HurricaneSettings& s, const hurricane::HwSpace& space,
                            const hurricane::TwoStageOutcome& out, const std::vector<ResultRow>& rows);

}  // namespace rp::kinds
