#include "experiments/cli/format.h"

#include <cmath>
#include <cstdio>

namespace rp::cli {

std::string fixed(double value, int precision) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", precision, value);
  return buf;
}

std::string si(double value, int precision) {
  const char* units[] = {"", " K", " M", " G", " T", " P"};
  int i = 0;
  double v = value;
  while (std::fabs(v) >= 1000.0 && i < 5) {
    v /= 1000.0;
    ++i;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g%s", precision, v, units[i]);
  return buf;
}

std::string bytes_str(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int i = 0;
  while (bytes >= 1024.0 && i < 4) {
    bytes /= 1024.0;
    ++i;
  }
  return fixed(bytes, i == 0 ? 0 : 2) + " " + units[i];
}

}  // namespace rp::cli
