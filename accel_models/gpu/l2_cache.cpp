#include "accel_models/gpu/l2_cache.h"

#include <algorithm>
#include <cmath>

namespace rp::accel {

int64_t L2Residency::resident(int64_t key, int64_t bytes) const {
  double after = 0;  // bytes of distinct tensors touched since `key`
  for (const Entry& e : lru_) {
    if (after >= capacity_) return 0;
    if (e.key == key) {
      const double r = std::clamp(capacity_ - after, 0.0, static_cast<double>(bytes));
      return static_cast<int64_t>(std::floor(r));
    }
    after += static_cast<double>(e.bytes);
  }
  return 0;
}

void L2Residency::touch(int64_t key, int64_t bytes) {
  lru_.erase(std::remove_if(lru_.begin(), lru_.end(), [key](const Entry& e) { return e.key == key; }), lru_.end());
  lru_.insert(lru_.begin(), Entry{key, bytes});
  double before = 0;
  for (size_t i = 0; i < lru_.size(); ++i) {
    if (before >= capacity_) {
      lru_.resize(i);  // everything from here on has at least `capacity_` bytes in front of it: evicted
      break;
    }
    before += static_cast<double>(lru_[i].bytes);
  }
}

sim::Ps L2Cache::service(const sim::Task& task, sim::Ps) {
  if (task.bytes <= 0) return 0;
  return sim::ps_from_seconds(p_.latency + static_cast<double>(task.bytes) / p_.bandwidth);
}

}  // namespace rp::accel
