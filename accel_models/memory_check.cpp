#include "accel_models/memory_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rp::accel {
namespace {

std::string where(const AcceleratorInfo& info, int64_t batch, int64_t share) {
  const MemoryLayout& m = info.memory;
  if (m.memories <= 1) return " HBM";
  const std::string cores = std::to_string(m.memories);
  if (m.batch_parts <= 1) return " HBM per core (the whole batch on one of " + cores + " cores with private HBM)";
  return " HBM per core (" + cores + " cores with private HBM, each holding the weights and " + std::to_string(share) +
         " of the batch of " + std::to_string(batch) + ")";
}

int byte_unit(double bytes) {
  int u = 0;
  while (u < 4 && std::fabs(bytes) >= 1024.0) {
    bytes /= 1024.0;
    ++u;
  }
  return u;
}

std::string bytes_in(double bytes, int unit) {
  static const char* const names[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  const double v = bytes / std::pow(1024.0, unit);
  char buf[64];
  std::snprintf(buf, sizeof buf, unit == 0 || v == std::floor(v) ? "%.0f %s" : "%.1f %s", v, names[unit]);
  return buf;
}

}  // namespace

std::string bytes_text(double bytes) { return bytes_in(bytes, byte_unit(bytes)); }

MemoryCheck check_memory(const traces::Network& net, const AcceleratorInfo& info) {
  MemoryCheck c;
  c.footprint = traces::memory_footprint(net);
  const MemoryLayout& m = info.memory;
  const int64_t batch = std::max<int64_t>(1, net.batch());
  const int64_t parts = std::max(1, m.batch_parts);
  const int64_t share = (batch + parts - 1) / parts;  // images on the most loaded memory
  const double per_image = static_cast<double>(share) / static_cast<double>(batch);
  const double weights = static_cast<double>(c.footprint.weight_bytes);
  const double activations = per_image * static_cast<double>(c.footprint.activation_bytes);
  const double kv = per_image * static_cast<double>(c.footprint.kv_cache_bytes);
  c.needed = weights + activations + kv;
  c.capacity = m.hbm_capacity / std::max(1, m.memories);
  if (c.capacity <= 0 || c.needed <= c.capacity) return c;
  c.fits = false;
  const int u = byte_unit(c.capacity);  // one unit for the whole line, so its figures compare at a glance
  c.reason = "needs " + bytes_in(c.needed, u) + " of " + bytes_text(c.capacity) + where(info, batch, share) +
             ": weights " + bytes_in(weights, u) + ", activations " + bytes_in(activations, u) +
             (kv > 0 ? ", KV cache " + bytes_in(kv, u) : "");
  return c;
}

}  // namespace rp::accel
