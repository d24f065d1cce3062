#include "simulator/sim_result.h"

#include <algorithm>

namespace rp::sim {

double ideal_rate(double peak, double intensity, double bandwidth) {
  if (intensity <= 0) return 0;
  return std::min(peak, intensity * bandwidth);
}

}  // namespace rp::sim
