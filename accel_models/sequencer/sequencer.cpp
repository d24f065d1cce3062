#include "accel_models/sequencer/sequencer.h"

#include "accel_models/config/param.h"

namespace rp::accel {

void describe(ParamVisitor& v, SequencerParams& p, const char* overhead_key) {
  v.real(overhead_key, p.overhead, ParamSpec::non_negative("ns", 1e-9, "fixed cost per dispatch / launch"));
}

}  // namespace rp::accel
