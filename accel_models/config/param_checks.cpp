#include "accel_models/config/param_checks.h"

namespace rp::accel {

double positive(const traces::YamlMap& m, const std::string& key) {
  const double v = m.number(key);
  if (!(v > 0)) m.fail(key, "must be > 0, got " + m.str(key));
  return v;
}

double non_negative(const traces::YamlMap& m, const std::string& key) {
  const double v = m.number(key);
  if (v < 0) m.fail(key, "must be >= 0, got " + m.str(key));
  return v;
}

double fraction(const traces::YamlMap& m, const std::string& key) {
  const double v = m.number(key);
  if (v < 0 || v >= 1) m.fail(key, "must be in [0, 1), got " + m.str(key));
  return v;
}

long long positive_int(const traces::YamlMap& m, const std::string& key) {
  const long long v = m.integer(key);
  if (v < 1) m.fail(key, "must be an integer >= 1, got " + m.str(key));
  return v;
}

}  // namespace rp::accel
