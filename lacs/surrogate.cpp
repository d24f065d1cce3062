#include "lacs/surrogate.h"

#include <algorithm>
#include <cmath>

#include "simulator/error.h"
#include "traces/yaml/yaml_map.h"

namespace rp::lacs {

// Embedded at build time from lacs/surrogate*.yaml (lacs/CMakeLists.txt, surrogate_data.cpp.in).
extern const char* const kSurrogateYaml;
extern const char* const kSurrogateNoB1Yaml;

Surrogate Surrogate::builtin(const std::string& fit) {
  if (fit == "all") return parse(kSurrogateYaml, "lacs/surrogate.yaml");
  if (fit == "no-b1") return parse(kSurrogateNoB1Yaml, "lacs/surrogate-no-b1.yaml");
  throw UsageError("accuracy.fit: unknown surrogate fit '" + fit + "' (expected all or no-b1)");
}

Surrogate Surrogate::parse(const std::string& text, const std::string& label) {
  const traces::YamlMap m = traces::YamlMap::from_string(text, label);
  Surrogate s;
  s.a_ = m.number("A");
  s.b_ = m.number("B");
  s.c_ = m.number("c");
  s.kappa_ = m.number("kappa");
  s.base_top1_ = m.number("base_top1");
  s.fit_ = m.str("fit");
  const YAML::Node bal = m.node()["balance"];
  if (!bal.IsSequence() || bal.size() != 3) m.fail("balance", "expected three shares [depth, width, resolution]");
  for (size_t i = 0; i < 3; ++i) s.m_[i] = bal[i].as<double>();
  s.yaml_ = text;
  return s;
}

double Surrogate::raw(double ld, double lw, double lr, double log_flops) const {
  const double t[3] = {ld, 2 * lw, 2 * lr};
  const double sum = t[0] + t[1] + t[2];
  double leff = log_flops;
  if (log_flops > 1e-12 && sum > 1e-12) {  // shares are defined for a network larger than the base
    double dev = 0;
    for (int i = 0; i < 3; ++i) dev += (t[i] / sum - m_[i]) * (t[i] / sum - m_[i]);
    leff = std::max(0.0, log_flops * (1 - kappa_ * dev));
  }
  return a_ - b_ * std::exp(-c_ * leff);
}

double Surrogate::top1(double depth, double width, double resolution_ratio, double flops_ratio,
                       double base_top1) const {
  const double ld = std::log(depth), lw = std::log(width), lr = std::log(resolution_ratio);
  const double lf = flops_ratio > 0 ? std::log(flops_ratio) : ld + 2 * lw + 2 * lr;
  return base_top1 + raw(ld, lw, lr, lf) - raw(0, 0, 0, 0);
}

}  // namespace rp::lacs
