#include "lacs/surrogate.h"

#include <cmath>
#include <sstream>

#include "simulator/error.h"
#include "traces/yaml/yaml_map.h"

namespace rp::lacs {

// Embedded at build time from lacs/surrogate.yaml (lacs/CMakeLists.txt, surrogate_data.cpp.in).
extern const char* const kSurrogateYaml;

namespace {

constexpr const char* kDims[3] = {"depth", "width", "resolution"};

void read_triple(const traces::YamlMap& m, const std::string& key, double out[3]) {
  const YAML::Node n = m.node()[key];
  if (!n.IsSequence() || n.size() != 3) m.fail(key, "expected three numbers [depth, width, resolution]");
  for (size_t i = 0; i < 3; ++i) out[i] = n[i].as<double>();
}

FitRow read_row(const traces::YamlMap& r) {
  FitRow row;
  row.base = r.str("base");
  row.label = r.str("label");
  row.source = r.str("source");
  row.depth = r.number("depth");
  row.width = r.number("width");
  row.resolution = r.number("resolution");
  row.top1 = r.number("top1");
  return row;
}

}  // namespace

Surrogate Surrogate::builtin(const std::string& fit) {
  if (fit == "all") return parse(kSurrogateYaml, "lacs/surrogate.yaml");
  throw UsageError("accuracy.fit: unknown surrogate fit '" + fit + "' (expected all)");
}

Surrogate Surrogate::parse(const std::string& text, const std::string& label) {
  const traces::YamlMap m = traces::YamlMap::from_string(text, label);
  Surrogate s;
  read_triple(m, "slope", s.slope_);
  read_triple(m, "curvature", s.curvature_);
  const traces::YamlMap range = m.map("range");
  for (int i = 0; i < 3; ++i) {
    const YAML::Node n = range.node()[kDims[i]];
    if (!n.IsSequence() || n.size() != 2) range.fail(kDims[i], "expected [smallest, largest] multiplier");
    s.lo_[i] = n[0].as<double>();
    s.hi_[i] = n[1].as<double>();
    if (!(s.lo_[i] > 0 && s.lo_[i] <= 1 && s.hi_[i] >= 1))
      range.fail(kDims[i], "expected 0 < smallest <= 1 <= largest");
  }
  s.base_top1_ = m.number("base_top1");
  s.fit_ = m.str("fit");
  const YAML::Node rows = m.node()["rows"];
  if (!rows.IsSequence() || rows.size() == 0) m.fail("rows", "expected the list of fit rows");
  for (size_t i = 0; i < rows.size(); ++i)
    s.rows_.push_back(read_row(traces::YamlMap(rows[i], label, "rows[" + std::to_string(i) + "]")));
  s.yaml_ = text;
  return s;
}

double Surrogate::gain(int dim, double lx) const {
  const double c = curvature_[dim];
  return std::fabs(c) < 1e-12 ? slope_[dim] * lx : slope_[dim] * (1 - std::exp(-c * lx)) / c;
}

double Surrogate::top1(double depth, double width, double resolution_ratio, double flops_ratio,
                       double base_top1) const {
  double l[3] = {std::log(depth), std::log(width), std::log(resolution_ratio)};
  const double nominal = l[0] + 2 * l[1] + 2 * l[2];
  if (flops_ratio > 0 && std::fabs(nominal) > 1e-12) {
    const double k = std::log(flops_ratio) / nominal;
    for (double& x : l) x *= k;
  }
  return base_top1 + gain(0, l[0]) + gain(1, l[1]) + gain(2, l[2]);
}

std::string Surrogate::outside_range(double depth, double width, double resolution_ratio) const {
  const double x[3] = {depth, width, resolution_ratio};
  constexpr double kSlack = 1e-9;  // multipliers equal to a fit row's are inside
  for (int i = 0; i < 3; ++i) {
    const bool above = x[i] > hi_[i] * (1 + kSlack), below = x[i] < lo_[i] * (1 - kSlack);
    if (!above && !below) continue;
    std::ostringstream o;
    o << "outside the surrogate's fit range: " << kDims[i] << " x" << x[i] << (above ? " above " : " below ")
      << (above ? hi_[i] : lo_[i]) << " (the " << (above ? "largest " : "smallest ") << kDims[i]
      << " multiplier of its fit rows)";
    return o.str();
  }
  return "";
}

}  // namespace rp::lacs
