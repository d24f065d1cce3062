#include "lacs/zoo_references.h"

#include <array>
#include <cmath>

#include "lacs/problem.h"
#include "lacs/scaling.h"
#include "traces/zoo/zoo.h"

namespace rp::lacs {
namespace {

constexpr std::array<double, 8> kEfficientNetTop1 = {76.3, 78.8, 79.8, 81.1, 82.6, 83.3, 84.0, 84.4};
constexpr std::array<double, 8> kXTop1 = {77.3, 79.4, 80.0, 81.4, 83.0, 83.7, 84.4, 84.7};

struct Family {
  std::string prefix, base;
  const std::array<double, 8>* top1;
  double base_top1;
};

ZooReference reference(accel::Evaluator& evaluator, int64_t batch, const Surrogate& s, const Family& f, int level) {
  ZooReference r;
  r.family = f.prefix;
  r.name = f.prefix + "-b" + std::to_string(level);
  r.level = level;
  const accel::Outcome& o = accel::evaluate_model(evaluator, r.name, batch);
  r.latency_ms = o.ok ? o.latency_ms : kNaN;
  r.macs = o.macs / batch;
  r.params = o.params;
  r.published_top1 = f.top1 ? (*f.top1)[static_cast<size_t>(level)] : kNaN;
  const traces::MbconvSpec base = traces::mbconv_spec(f.base), spec = traces::mbconv_spec(r.name);
  // The surrogate's multipliers are the network's own: blocks over the base's (as its fit rows count layers).
  const double d = scaled_blocks(spec, 1.0) / scaled_blocks(base, 1.0), w = spec.params.width / base.params.width;
  const double res = static_cast<double>(spec.params.resolution) / base.params.resolution;
  r.surrogate_top1 = s.top1(d, w, res, 0, f.base_top1);
  return r;
}

}  // namespace

void zoo_columns(Columns& c, ZooReference& z) {
  c.column("family", z.family);
  c.column("name", z.name);
  c.column("level", z.level);
  c.column("latency_ms", z.latency_ms);
  c.column("macs", z.macs);
  c.column("params", z.params);
  c.column("published_top1", z.published_top1);
  c.column("surrogate_top1", z.surrogate_top1);
}

std::vector<ZooReference> zoo_references(accel::Evaluator& evaluator, int64_t batch, const Surrogate& s,
                                         const StopCheck& stop) {
  const std::vector<Family> families = {{"efficientnet", "efficientnet-b0", &kEfficientNetTop1, 76.3},
                                        {"efficientnet-x", "efficientnet-x-b0", nullptr, 77.3},
                                        {"efficientnet-x-tpu", "efficientnet-x-tpu-b0", &kXTop1, 77.3},
                                        {"efficientnet-x-gpu", "efficientnet-x-gpu-b0", &kXTop1, 77.3}};
  std::vector<ZooReference> out;
  for (const Family& f : families) {
    poll(stop);
    for (int i = 0; i < 8; ++i) {
      poll(stop);
      out.push_back(reference(evaluator, batch, s, f, i));
    }
  }
  return out;
}

}  // namespace rp::lacs
