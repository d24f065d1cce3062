#include "lacs/point_eval.h"

#include <cmath>
#include <sstream>

#include "simulator/error.h"

namespace rp::lacs {
namespace {

PointResult& infeasible(PointResult& p, const std::string& reason) {
  p.feasible = false;
  p.status = reason;
  p.accuracy = kNaN;
  p.reward = 0;
  return p;
}

// Why (alpha beta^2 gamma^2)^phi is outside budget^phi x (1 +- tolerance), or "".
std::string outside_budget(const Triplet& t, double phi, double budget, double tolerance) {
  const double level = std::pow(budget, phi), f = flops_ratio(t, phi);
  if (std::fabs(f / level - 1) <= tolerance) return "";
  std::ostringstream o;
  o << "outside the FLOPs budget: alpha beta^2 gamma^2 = " << f << ", budget " << level << " +- " << tolerance * 100
    << "%";
  return o.str();
}

}  // namespace

std::string objective_name(Objective o) { return o == Objective::kAccuracyOnly ? "accuracy-only" : "latency-aware"; }

Objective objective_named(const std::string& name) {
  if (name == "latency-aware") return Objective::kLatencyAware;
  if (name == "accuracy-only") return Objective::kAccuracyOnly;
  throw UsageError("unknown objective '" + name + "' (expected latency-aware or accuracy-only)");
}

double flops_ratio(const Triplet& t, double phi) {
  return std::pow(t.alpha * t.beta * t.beta * t.gamma * t.gamma, phi);
}

Accuracy surrogate_top1(const Surrogate& s, const Scaled& sc, double flops_ratio, double base_top1) {
  Accuracy a;
  const double top1 = s.top1(sc.depth, sc.width, sc.resolution_ratio, flops_ratio, base_top1);
  if (top1 > 0 && top1 < 100) {
    a.top1 = top1;
    a.extrapolated = s.outside_range(sc.depth, sc.width, sc.resolution_ratio);
  } else {
    std::ostringstream o;
    o << "the surrogate is outside its range: top-1 " << top1 << "%";
    a.reason = o.str();
  }
  return a;
}

std::vector<PointResult> surrogate_accuracy_only(const GridSpec& g, const Surrogate& s, double budget, double tolerance,
                                                 double phi, double base_top1) {
  const double top1 = base_top1 > 0 ? base_top1 : s.base_top1();
  return search(g, [&](const std::vector<Triplet>& ts, int stage) {
    std::vector<PointResult> out;
    for (const Triplet& t : ts) {
      PointResult p;
      p.t = t;
      p.stage = stage;
      p.flops_ratio = flops_ratio(t, phi);
      const Scaled sc = scale(t, phi, 224);
      const Accuracy nominal = surrogate_top1(s, sc, 0, top1);
      const Accuracy at_budget = surrogate_top1(s, sc, std::pow(budget, phi), top1);
      p.accuracy = nominal.top1;
      p.reward = at_budget.top1;
      const std::string why = outside_budget(t, phi, budget, tolerance);
      if (!why.empty())
        infeasible(p, why);
      else if (!nominal.reason.empty() || !at_budget.reason.empty())
        infeasible(p, nominal.reason + at_budget.reason);
      else if (!nominal.extrapolated.empty())
        infeasible(p, nominal.extrapolated);
      out.push_back(p);
    }
    return out;
  });
}

std::optional<Triplet> accuracy_only_coefficients(const Problem& p, const GridSpec& g,
                                                  const std::vector<PointResult>& evaluated) {
  if (!p.proxy) {
    const double top1 = p.base_top1 > 0 ? p.base_top1 : p.surrogate.base_top1();
    const auto points = surrogate_accuracy_only(g, p.surrogate, p.flops_budget, p.flops_tolerance, p.search_phi, top1);
    const int best = best_point(points);
    if (best < 0) return std::nullopt;
    return points[static_cast<size_t>(best)].t;
  }
  const PointResult* best = nullptr;
  for (const PointResult& x : evaluated) {
    if (!x.feasible || !outside_budget(x.t, p.search_phi, p.flops_budget, p.flops_tolerance).empty()) continue;
    if (!best || x.accuracy > best->accuracy) best = &x;
  }
  if (!best) return std::nullopt;
  return best->t;
}

PointEvaluator::PointEvaluator(const Problem& p, accel::Evaluator& evaluator) : p_(p), evaluator_(evaluator) {}

double PointEvaluator::base_top1() const { return p_.base_top1 > 0 ? p_.base_top1 : p_.surrogate.base_top1(); }

double PointEvaluator::base_latency_ms() {
  if (!base_latency_) {
    const NetworkFigures f = figures(p_.base);
    if (!f.ok) {
      throw SimulationError("lacs: the base network " + p_.base.name + " cannot run on " +
                            evaluator_.accelerator().info().name + ": " + f.reason);
    }
    base_latency_ = f.latency_ms;
  }
  return *base_latency_;
}

double PointEvaluator::target_ms() {
  if (p_.target_latency_ms > 0) return p_.target_latency_ms;
  return base_latency_ms() * std::pow(p_.latency_ratio, p_.search_phi);
}

Scaled effective_multipliers(const traces::MbconvSpec& base, const Scaled& s) {
  Scaled e = s;
  e.depth = scaled_blocks(base, s.depth) / scaled_blocks(base, 1.0);
  e.resolution_ratio = static_cast<double>(s.resolution) / base.params.resolution;
  return e;
}

Accuracy PointEvaluator::accuracy_of(const traces::MbconvSpec& scaled, const Scaled& s, int64_t /*macs*/) {
  if (p_.proxy) return p_.proxy(scaled, s.resolution_ratio);
  return surrogate_top1(p_.surrogate, effective_multipliers(p_.base, s), 0, base_top1());
}

PointResult PointEvaluator::operator()(const Triplet& t, int stage) {
  PointResult p;
  p.t = t;
  p.stage = stage;
  p.accuracy_source = p_.accuracy_source;
  p.latency_ms = kNaN;
  p.flops_ratio = flops_ratio(t, p_.search_phi);
  const Scaled s = scale(t, p_.search_phi, p_.base.params.resolution);
  p.resolution = s.resolution;
  const double blocks = scaled_blocks(p_.base, s.depth);
  p.layers = blocks <= traces::kMaxBlocks ? static_cast<int>(blocks) : 0;
  if (p_.objective == Objective::kAccuracyOnly) {
    const std::string why = outside_budget(t, p_.search_phi, p_.flops_budget, p_.flops_tolerance);
    if (!why.empty()) return infeasible(p, why);
  }
  const std::string limit = limit_problem(p_.base, s);
  if (!limit.empty()) return infeasible(p, limit);
  const traces::MbconvSpec spec = scaled_spec(p_.base, s);
  const NetworkFigures n = figures(spec);
  p.macs = n.macs;
  p.params = n.params;
  if (!n.ok) return infeasible(p, n.reason);
  p.latency_ms = n.latency_ms;
  const Accuracy a = accuracy_of(spec, s, n.macs);
  if (!a.reason.empty()) return infeasible(p, a.reason);
  if (!a.extrapolated.empty()) return infeasible(p, a.extrapolated);
  p.accuracy = a.top1;
  if (p_.objective == Objective::kLatencyAware) {
    nas::RewardSpec w = p_.reward;
    w.target_ms = target_ms();
    p.reward = w(p.accuracy, p.latency_ms);
  } else if (p_.proxy) {
    p.reward = p.accuracy;
  } else {
    const Accuracy at = surrogate_top1(p_.surrogate, s, std::pow(p_.flops_budget, p_.search_phi), base_top1());
    if (!at.reason.empty()) return infeasible(p, at.reason);
    p.reward = at.top1;
  }
  return p;
}

}  // namespace rp::lacs
