#include "nas/reward/reward.h"

#include <cmath>
#include <sstream>

namespace rp::nas {

double RewardSpec::operator()(double accuracy, double latency_ms) const {
  const double w = latency_ms <= target_ms ? alpha : beta;
  return accuracy * std::pow(latency_ms / target_ms, w);
}

std::string RewardSpec::describe() const {
  std::ostringstream o;
  o << "ACC*(LAT/" << target_ms << "ms)^w, w = " << alpha;
  if (beta != alpha) o << " if LAT <= T else " << beta;
  return o.str();
}

}  // namespace rp::nas
