#include "lacs/zoo_references.h"

#include <array>
#include <cmath>
#include <limits>

namespace rp::lacs {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::array<double, 8> kEfficientNetTop1 = {76.3, 78.8, 79.8, 81.1, 82.6, 83.3, 84.0, 84.4};
constexpr std::array<double, 8> kXTop1 = {77.3, 79.4, 80.0, 81.4, 83.0, 83.7, 84.4, 84.7};

}  // namespace

std::vector<ZooReference> zoo_references(LatencyOracle& oracle, const Surrogate& s) {
  struct Family {
    std::string prefix, base;
    const std::array<double, 8>* top1;
    double base_top1;
  };
  const std::vector<Family> families = {{"efficientnet", "efficientnet-b0", &kEfficientNetTop1, 76.3},
                                        {"efficientnet-x", "efficientnet-x-b0", nullptr, 77.3},
                                        {"efficientnet-x-tpu", "efficientnet-x-tpu-b0", &kXTop1, 77.3},
                                        {"efficientnet-x-gpu", "efficientnet-x-gpu-b0", &kXTop1, 77.3}};
  std::vector<ZooReference> out;
  for (const Family& f : families) {
    const traces::MbconvSpec base = traces::mbconv_spec(f.base);
    const NetworkFigures b = oracle(base);
    for (int i = 0; i < 8; ++i) {
      ZooReference r;
      r.family = f.prefix;
      r.name = f.prefix + "-b" + std::to_string(i);
      r.level = i;
      const traces::MbconvSpec spec = traces::mbconv_spec(r.name);
      const NetworkFigures& n = oracle(spec);
      r.latency_ms = n.ok ? n.latency_ms : kNaN;
      r.macs = n.macs;
      r.params = n.params;
      r.published_top1 = f.top1 ? (*f.top1)[static_cast<size_t>(i)] : kNaN;
      const double d = spec.params.depth / base.params.depth, w = spec.params.width / base.params.width;
      const double res = static_cast<double>(spec.params.resolution) / base.params.resolution;
      const double flops = b.macs > 0 ? static_cast<double>(n.macs) / static_cast<double>(b.macs) : 0.0;
      r.surrogate_top1 = s.top1(d, w, res, flops, f.base_top1);
      out.push_back(r);
    }
  }
  return out;
}

}  // namespace rp::lacs
