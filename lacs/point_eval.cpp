#include "lacs/point_eval.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "simulator/error.h"

namespace rp::lacs {

double flops_ratio(const Triplet& t, double phi) {
  return std::pow(t.alpha * t.beta * t.beta * t.gamma * t.gamma, phi);
}

std::vector<PointResult> surrogate_accuracy_only(const GridSpec& g, const Surrogate& s, double budget,
                                                 double tolerance, double phi) {
  const double level_budget = std::pow(budget, phi);
  return search(g, [&](const std::vector<Triplet>& ts, int stage) {
    std::vector<PointResult> out;
    for (const Triplet& t : ts) {
      PointResult p;
      p.t = t;
      p.stage = stage;
      p.feasible = std::fabs(flops_ratio(t, phi) / level_budget - 1) <= tolerance;
      const Scaled sc = scale(t, phi, 224);
      p.accuracy = s.top1(sc.depth, sc.width, sc.resolution_ratio, 0, s.base_top1());
      p.reward = p.feasible ? s.top1(sc.depth, sc.width, sc.resolution_ratio, level_budget, s.base_top1()) : 0;
      if (!p.feasible) p.status = "outside the FLOPs budget";
      out.push_back(p);
    }
    return out;
  });
}

PointEvaluator::PointEvaluator(const LacsExperiment& e, std::shared_ptr<const nas::FashionMnist> data)
    : e_(e),
      base_(traces::mbconv_spec(e.base)),
      surrogate_(Surrogate::builtin(e.accuracy.fit)),
      oracle_(accel::AcceleratorConfig::load(e.accelerator).with_text(e.set).build(), e.batch) {
  if (e.accuracy.method == "proxy") {
    if (!data) throw std::logic_error("lacs: the proxy accuracy method needs the Fashion-MNIST data");
    proxy_.emplace(std::move(data), e.accuracy);
  }
}

double PointEvaluator::base_top1() const {
  return e_.accuracy.base_top1 > 0 ? e_.accuracy.base_top1 : surrogate_.base_top1();
}

double PointEvaluator::base_latency_ms() {
  if (!base_latency_) {
    const NetworkFigures& f = oracle_(base_);
    if (!f.ok) {
      throw SimulationError("lacs: the base network " + e_.base + " cannot run on " + e_.accelerator + ": " + f.reason);
    }
    base_latency_ = f.latency_ms;
  }
  return *base_latency_;
}

double PointEvaluator::target_ms() {
  if (e_.target_latency_ms > 0) return e_.target_latency_ms;
  return base_latency_ms() * std::pow(e_.latency_ratio, e_.search_phi);
}

double PointEvaluator::accuracy_of(const traces::MbconvSpec& scaled, const Scaled& s) {
  if (proxy_) return (*proxy_)(scaled, s.resolution_ratio);
  const int64_t base_macs = oracle_(base_).macs, macs = oracle_(scaled).macs;  // memoized
  const double f = base_macs > 0 && macs > 0 ? static_cast<double>(macs) / static_cast<double>(base_macs) : 0.0;
  return surrogate_.top1(s.depth, s.width, s.resolution_ratio, f, base_top1());
}

PointResult PointEvaluator::operator()(const Triplet& t, int stage) {
  PointResult p;
  p.t = t;
  p.stage = stage;
  p.latency_ms = std::numeric_limits<double>::quiet_NaN();
  const Scaled s = scale(t, e_.search_phi, base_.params.resolution);
  const traces::MbconvSpec spec = scaled_spec(base_, s);
  p.resolution = s.resolution;
  p.layers = block_count(spec);
  const double r = s.resolution_ratio;
  if (e_.objective == Objective::kAccuracyOnly) {
    const double budget = std::pow(e_.flops_budget, e_.search_phi);
    const double f = flops_ratio(t, e_.search_phi);
    if (std::fabs(f / budget - 1) > e_.flops_tolerance) {
      std::ostringstream o;
      o << "outside the FLOPs budget: alpha beta^2 gamma^2 = " << f << ", budget " << budget << " +- "
        << e_.flops_tolerance * 100 << "%";
      p.feasible = false;
      p.status = o.str();
      p.accuracy = std::numeric_limits<double>::quiet_NaN();
      return p;
    }
  }
  const NetworkFigures& n = oracle_(spec);
  p.macs = n.macs;
  p.params = n.params;
  if (!n.ok) {
    p.feasible = false;
    p.status = n.reason;
    p.reward = 0;
    p.accuracy = std::numeric_limits<double>::quiet_NaN();
    return p;
  }
  p.latency_ms = n.latency_ms;
  p.accuracy = accuracy_of(spec, s);
  if (e_.objective == Objective::kAccuracyOnly) {
    p.reward = proxy_ ? p.accuracy
                      : surrogate_.top1(s.depth, s.width, r, std::pow(e_.flops_budget, e_.search_phi), base_top1());
  } else {
    nas::RewardSpec w = e_.reward;
    w.target_ms = target_ms();
    p.reward = w(p.accuracy, p.latency_ms);
  }
  return p;
}

}  // namespace rp::lacs
