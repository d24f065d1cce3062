#include "accel_models/vector_unit/vector_params.h"

#include "accel_models/config/param.h"

namespace rp::accel {

void describe(ParamVisitor& v, VectorParams& p) {
  using S = ParamSpec;
  v.integer("lanes", p.lanes, S::count("", "vector lanes").at_most(65536));
  v.integer("sublanes", p.sublanes, S::count("", "sublanes per lane").at_most(1024));
  v.integer("alus_per_lane", p.alus_per_lane, S::count("", "ALUs per lane and sublane").at_most(1024));
  v.real("pass_overhead_cycles", p.pass_overhead_cycles,
         S::non_negative("cycles", 1, "issue / pipeline latency per pass"));
  v.group("cost_per_element", [&](ParamVisitor& g) { describe(g, p.costs); });
}

}  // namespace rp::accel
