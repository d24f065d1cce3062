#include "lacs/family.h"

namespace rp::lacs {

void member_columns(Columns& c, Member& m) {
  c.column("family", m.family);
  c.column("alpha", m.t.alpha);
  c.column("beta", m.t.beta);
  c.column("gamma", m.t.gamma);
  c.column("phi", m.phi);
  c.column("depth", m.depth);
  c.column("width", m.width);
  c.column("resolution", m.resolution);
  c.column("layers", m.layers);
  c.column("params", m.params);
  c.column("macs", m.macs);
  c.column("latency_ms", m.latency_ms);
  c.column("accuracy", m.accuracy);
  c.column("feasible", m.feasible);
  c.column("status", m.status);
  c.column("yaml", m.yaml);
  c.column("extrapolated", m.extrapolated);
  c.column("accuracy_source", m.accuracy_source);
}

namespace {

Member& infeasible(Member& m, const std::string& reason) {
  m.feasible = false;
  m.status = reason;
  m.accuracy = kNaN;
  return m;
}

Member member(PointEvaluator& eval, const std::string& family, const Triplet& t, int k) {
  const traces::MbconvSpec& base = eval.problem().base;
  Member m;
  m.family = family;
  m.accuracy_source = eval.problem().accuracy_source;
  m.t = t;
  m.phi = k;
  m.latency_ms = kNaN;
  const Scaled s = scale(t, k, base.params.resolution);
  m.depth = s.depth;
  m.width = s.width;
  m.resolution = s.resolution;
  const double blocks = scaled_blocks(base, s.depth);
  m.layers = blocks <= traces::kMaxBlocks ? static_cast<int>(blocks) : 0;
  const std::string limit = limit_problem(base, s);
  if (!limit.empty()) return infeasible(m, limit);
  const traces::MbconvSpec spec = scaled_spec(base, s);
  const NetworkFigures f = eval.figures(spec);
  m.params = f.params;
  m.macs = f.macs;
  if (!f.ok) return infeasible(m, f.reason);
  m.latency_ms = f.latency_ms;
  const Accuracy a = eval.accuracy_of(spec, s, f.macs);
  if (!a.reason.empty()) return infeasible(m, a.reason);
  m.accuracy = a.top1;
  m.extrapolated = !a.extrapolated.empty();
  m.extrapolation = a.extrapolated;
  return m;
}

}  // namespace

std::vector<Member> make_family(PointEvaluator& eval, const std::string& family, const Triplet& t, int phi) {
  std::vector<Member> out;
  for (int k = 0; k <= phi; ++k) {
    poll(eval.problem().stop);
    out.push_back(member(eval, family, t, k));
  }
  return out;
}

bool buildable(const traces::MbconvSpec& base, const Member& m) {
  return limit_problem(base, scale(m.t, m.phi, base.params.resolution)).empty();
}

traces::MbconvSpec member_spec(const traces::MbconvSpec& base, const Member& m, const std::string& name) {
  traces::MbconvSpec spec = scaled_spec(base, Scaled{m.depth, m.width, 0, m.resolution});
  spec.name = name;
  return spec;
}

}  // namespace rp::lacs
