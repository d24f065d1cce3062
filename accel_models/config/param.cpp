#include "accel_models/config/param.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rp::accel {

ParamSpec ParamSpec::positive(std::string unit, double scale, std::string description) {
  ParamSpec s;
  s.unit = std::move(unit);
  s.scale = scale;
  s.min = 0;
  s.min_open = true;
  s.max = kMaxReal;
  s.description = std::move(description);
  return s;
}

ParamSpec ParamSpec::non_negative(std::string unit, double scale, std::string description) {
  ParamSpec s;
  s.unit = std::move(unit);
  s.scale = scale;
  s.min = 0;
  s.max = kMaxReal;
  s.description = std::move(description);
  return s;
}

ParamSpec ParamSpec::fraction(std::string description) {
  ParamSpec s;
  s.min = 0;
  s.max = 1;
  s.max_open = true;
  s.description = std::move(description);
  return s;
}

ParamSpec ParamSpec::share(std::string description) {
  ParamSpec s = fraction(std::move(description));
  s.min_open = true;
  s.max_open = false;
  return s;
}

ParamSpec ParamSpec::open_fraction(std::string description) {
  ParamSpec s = fraction(std::move(description));
  s.min_open = true;
  return s;
}

ParamSpec ParamSpec::count(std::string unit, std::string description) {
  ParamSpec s;
  s.unit = std::move(unit);
  s.min = 1;
  s.max = kMaxCount;
  s.description = std::move(description);
  return s;
}

ParamSpec ParamSpec::flag(std::string description) {
  ParamSpec s;
  s.description = std::move(description);
  return s;
}

ParamSpec ParamSpec::between(double lo, double hi, std::string unit, std::string description) {
  ParamSpec s;
  s.unit = std::move(unit);
  s.min = lo;
  s.max = hi;
  s.description = std::move(description);
  return s;
}

std::string ParamSpec::interval_text() const {
  if (!std::isfinite(min) && !std::isfinite(max)) return "";
  return std::string(min_open ? "(" : "[") + (std::isfinite(min) ? format_number(min) : "-inf") + ", " +
         (std::isfinite(max) ? format_number(max) : "inf") + (max_open ? ")" : "]");
}

bool ParamSpec::within(double v) const {
  if (std::isnan(v)) return false;
  if (min_open ? !(v > min) : !(v >= min)) return false;
  if (max_open ? !(v < max) : !(v <= max)) return false;
  return true;
}

std::string ParamSpec::bounds_text(bool integer, double value) const {
  const bool has_min = std::isfinite(min), has_max = std::isfinite(max);
  if (has_min && has_max && !integer && max <= 1) {  // fractions and shares: the interval reads best
    return "must be in " + std::string(min_open ? "(" : "[") + format_number(min) + ", " + format_number(max) +
           (max_open ? ")" : "]");
  }
  // Otherwise name the side that was crossed: ">= 1" / "> 0", or the largest value supported.
  const bool too_small = has_min && (min_open ? !(value > min) : !(value >= min));
  std::string s = integer ? "must be an integer " : "must be ";
  if (too_small || !has_max) return s + (min_open ? "> " : ">= ") + format_number(min);
  return s + (max_open ? "< " : "<= ") + format_number(max);
}

void ParamVisitor::integer(const std::string& key, int& value, const ParamSpec& spec) {
  int64_t v = value;
  integer(key, v, spec);
  value = static_cast<int>(v);  // every int parameter's spec bounds it to the int range
}

std::string format_number(double v, double scale) {
  char buf[64];
  const double y = v / scale, a = std::fabs(y);
  const bool plain = a == 0 || (a >= 1e-4 && a < 1e15);  // written without an exponent
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, y);
    if (std::strtod(buf, nullptr) * scale == v && (!plain || !std::strchr(buf, 'e'))) return buf;
  }
  return scale == 1 ? std::string(buf) : format_number(y);
}

}  // namespace rp::accel
