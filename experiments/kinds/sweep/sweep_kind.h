#pragma once
// `kind: simulate` and `kind: sweep` (sweep_settings.h): every point simulated in process, in --jobs workers or
// on MPI ranks through the run's job pool, each finished point journaled by this process; when every point is
// done, the table /points (one row per point, in point order) is written, so the table is the same whatever the
// split and however often the run was interrupted. docs/experiments.md.
#include <vector>

#include "experiments/run/run_context.h"
#include "experiments/settings/settings_io.h"
#include "simulator/record.h"

namespace rp::kinds {

// A row of /points and a line of the journal: point (int64), accelerator, model, one column per swept key (float64 when
// every value is a number or a switch, else a string), status ("ok" or why the point could not be simulated), the
// sweep fields of the result schema (simulator/result_schema.h, in_sweeps), busy_<unit> per unit kind (NaN where
// a unit does not exist).
struct SweepRow {
  int64_t index = 0;  // the point's index: the journal's key and the int64 column `point`
  std::string accelerator, model;
  std::vector<std::pair<std::string, std::string>> values;  // swept key -> value as written
  std::string status = "ok";
  std::string batch_rule;       // what chose the point's batch: "batch 128, tpuv3 default" (model_files.h)
  std::vector<double> figures;  // sweep fields, in schema order (0 when infeasible)
  std::vector<std::pair<std::string, double>> busy;  // unit kind -> busy fraction
};
void row_columns(Columns& c, SweepRow& r);

int run_sweep(run::RunContext& ctx);

}  // namespace rp::kinds
