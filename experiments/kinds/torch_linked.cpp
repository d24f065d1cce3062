// libtorch_linked (kind.h) in ridgepoint-torch: the kinds that train are here.
#include "experiments/kinds/kind.h"

namespace rp::kinds {

bool libtorch_linked() { return true; }

}  // namespace rp::kinds
