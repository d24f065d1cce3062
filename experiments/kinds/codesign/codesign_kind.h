#pragma once
// `kind: codesign` (codesign_settings.h, docs/codesign.md): hardware points x networks, each unit (one network on
// one hardware point) evaluated in process through a memoized accel::Evaluator, in --jobs workers or on MPI ranks
// through the run's job pool and journaled by this process. The grid asks for every point; the evolution
// (codesign_search.h) asks a generation at a time and, being deterministic for its seed, retraces the same path on
// a resume, finding the journaled units. When the search is done, /points (every evaluated unit, by point then
// network) and /pareto (codesign_output.h) are written, so the tables are the same whatever the split and however
// often the run was interrupted.
#include "experiments/run/run_context.h"

namespace rp::kinds {

int run_codesign(run::RunContext& ctx);

}  // namespace rp::kinds
