#include "nas/reward/reward.h"

#include <cmath>
#include <random>
#include <sstream>
#include <utility>

#include "simulator/error.h"

namespace rp::nas {

LatencyControl latency_control(const std::string& word) {
  if (word == "none") return LatencyControl::none;
  if (word == "no-latency") return LatencyControl::no_latency;
  if (word == "shuffled-latency") return LatencyControl::shuffled_latency;
  throw UsageError("unknown reward control '" + word + "' (expected none, no-latency or shuffled-latency)");
}

std::string control_word(LatencyControl c) {
  switch (c) {
    case LatencyControl::no_latency:
      return "no-latency";
    case LatencyControl::shuffled_latency:
      return "shuffled-latency";
    case LatencyControl::none:
      break;
  }
  return "none";
}

double RewardSpec::operator()(double accuracy, double latency_ms) const {
  if (control == LatencyControl::no_latency) return accuracy;
  const double w = latency_ms <= target_ms ? alpha : beta;
  return accuracy * std::pow(latency_ms / target_ms, w);
}

std::string RewardSpec::describe() const {
  std::ostringstream o;
  o << "ACC*(LAT/" << target_ms << "ms)^w, w = " << alpha;
  if (beta != alpha) o << " if LAT <= T else " << beta;
  if (control == LatencyControl::no_latency) o << ", control: no-latency (reward = ACC)";
  if (control == LatencyControl::shuffled_latency) {
    o << ", control: shuffled-latency (LAT of another candidate of the round, seed " << control_seed << ")";
  }
  return o.str();
}

std::vector<size_t> latency_donors(size_t n, uint64_t seed, int64_t first) {
  std::vector<size_t> order(n), donors(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(seed + 1000003ULL * static_cast<uint64_t>(first));
  for (size_t i = n; i-- > 1;) std::swap(order[i], order[static_cast<size_t>(rng() % (i + 1))]);
  for (size_t k = 0; k < n; ++k) donors[order[k]] = order[(k + 1) % n];
  return donors;
}

}  // namespace rp::nas
