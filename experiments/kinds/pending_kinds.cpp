// Temporary: kinds being rewritten onto the run skeleton v2 (removed when they land).
#include "experiments/kinds/torch_kinds.h"
#include "simulator/error.h"

namespace rp::kinds {

int run_lacs(run::RunContext&) { throw SimulationError("kind: lacs is being rewritten"); }

}  // namespace rp::kinds
