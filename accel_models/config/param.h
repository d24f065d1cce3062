#pragma once
// The parameter schema. Every accelerator parameter is declared once, in its group's describe() function (next to
// the typed struct it fills: hbm/hbm_params.cpp, matrix_unit/systolic_params.cpp, ...), with its YAML key, unit,
// bounds and default. The same declaration drives every use of the parameter through a ParamVisitor:
// reading and validating the raw YAML (raw_config.h), typed overrides (--set, sweeps, calibration), writing the
// resolved YAML and listing the keys (param_io.h). Typed structs hold SI values (bytes/s, seconds, bytes, Hz);
// YAML values are in the unit named by the key and converted by ParamSpec::scale.
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace rp::accel {

struct ParamSpec {
  std::string unit;  // unit of the YAML value ("GB/s", "ns", "MiB", "cycles"; "" for counts, switches)
  double scale = 1;  // typed value = YAML value x scale
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false, max_open = false;
  std::optional<double> fallback;  // default (YAML units; 0 / 1 for switches); none: the key is required
  std::string description;
  bool identity = true;  // experiment settings: false when the value does not change results (a limit)

  // Reals: > 0 or >= 0, and at most kMaxReal in the key's unit unless at_most() sets a tighter bound.
  static ParamSpec positive(std::string unit, double scale, std::string description);      // > 0
  static ParamSpec non_negative(std::string unit, double scale, std::string description);  // >= 0
  static ParamSpec fraction(std::string description);                                      // in [0, 1)
  static ParamSpec share(std::string description);                                         // in (0, 1]
  static ParamSpec open_fraction(std::string description);                                 // in (0, 1)
  // Integers: >= 1 and at most kMaxCount unless at_most() sets a tighter bound (counts, sizes).
  static ParamSpec count(std::string unit, std::string description);
  // Switches.
  static ParamSpec flag(std::string description);
  // Experiment settings: a value in [lo, hi] (an integer when declared with integer()).
  static ParamSpec between(double lo, double hi, std::string unit, std::string description);

  // No accelerator parameter comes near these in its own unit (the largest real ones: 10^4 GB/s, 10^5 MiB, 10^4
  // SMs or lanes). They keep every scaled value finite and every product of two counts far inside 64 bits, so no
  // value can reach arithmetic that would overflow or trap; keys with a tighter sane range say so with at_most()
  // (docs/tpu-model.md and docs/gpu-model.md list them).
  static constexpr double kMaxReal = 1e12;
  static constexpr double kMaxCount = 1 << 20;

  ParamSpec& or_default(double value) {
    fallback = value;
    return *this;
  }
  ParamSpec& at_most(double value) {
    max = value;
    return *this;
  }
  ParamSpec& above(double value) {  // min < x (open)
    min = value;
    min_open = true;
    return *this;
  }
  ParamSpec& outside_identity() {
    identity = false;
    return *this;
  }
  bool within(double yaml_value) const;
  // Why `value` is out of bounds: "must be an integer >= 1", "must be in (0, 1]" (fractions), "must be > 0",
  // "must be an integer <= 4096": the side that was crossed.
  std::string bounds_text(bool integer, double value) const;
  // The bounds as an interval: "[1, 1000000]", "(0, 1e+12]"; "" when unbounded.
  std::string interval_text() const;
};

class ParamVisitor {
 public:
  virtual ~ParamVisitor() = default;
  virtual void real(const std::string& key, double& value, const ParamSpec& spec) = 0;
  virtual void integer(const std::string& key, int64_t& value, const ParamSpec& spec) = 0;
  virtual void boolean(const std::string& key, bool& value, const ParamSpec& spec) = 0;
  // A word from `allowed` (any non-empty word when `allowed` is empty).
  virtual void word(const std::string& key, std::string& value, const std::vector<std::string>& allowed,
                    const std::string& description) = 0;
  // A nested mapping whose parameters `body` declares.
  virtual void group(const std::string& key, const std::function<void(ParamVisitor&)>& body) = 0;
  // The entry names of a mapping of same-shaped entries (named_entries below): the reader returns those in the
  // YAML, every other visitor the current ones.
  virtual std::vector<std::string> entries(const std::string& key, std::vector<std::string> current) {
    (void)key;
    return current;
  }
  // A cross-field rule: when !ok the config is invalid; `key` (relative to the current group) names the culprit.
  virtual void require(bool ok, const std::string& key, const std::string& what) = 0;

  void integer(const std::string& key, int& value, const ParamSpec& spec);
};

// A mapping of named entries of the same shape (e.g. tensor_cores.tiles.large), each described by
// describe_entry(visitor, item); T has a `std::string name`.
template <class T, class F>
void named_entries(ParamVisitor& v, const std::string& key, std::vector<T>& items, F describe_entry) {
  std::vector<std::string> names;
  for (const T& it : items) names.push_back(it.name);
  names = v.entries(key, names);
  std::vector<T> next;
  for (const std::string& n : names) {
    T item{};
    for (const T& it : items) {
      if (it.name == n) item = it;
    }
    item.name = n;
    next.push_back(item);
  }
  items = std::move(next);
  v.group(key, [&](ParamVisitor& g) {
    for (T& it : items) g.group(it.name, [&](ParamVisitor& e) { describe_entry(e, it); });
  });
}

// Shortest text of `v` / `scale` that reads back, times `scale` as the config reader does, as exactly `v` (at most
// 17 significant digits), without an exponent where |v / scale| lies in [1e-4, 1e15) (80, not 8e+01); if no text
// does, the shortest that reads back as v / scale itself.
std::string format_number(double v, double scale = 1);

}  // namespace rp::accel
