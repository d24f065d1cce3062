#include "experiments/kinds/lacs/lacs_output.h"

#include <cmath>
#include <cstdio>
#include <ostream>

#include "experiments/run/record_io.h"
#include "traces/writers/output_file.h"

namespace rp::kinds {
namespace {

// The LACS attributes of the output's root, beside the run's own (run_context.h).
struct LacsAttributes {
  std::string objective, accuracy_method, surrogate, base;
  double base_latency_ms = 0, target_latency_ms = 0, alpha = 1, beta = 1, gamma = 1;
  std::string dataset, dataset_mean, dataset_std;  // as NAS's: format; per-channel mean and std of the training split
};

void attribute_columns(Columns& c, LacsAttributes& a) {
  c.column("objective", a.objective);
  c.column("accuracy_method", a.accuracy_method);
  c.column("surrogate", a.surrogate);
  c.column("base", a.base);
  c.column("base_latency_ms", a.base_latency_ms);
  c.column("target_latency_ms", a.target_latency_ms);
  c.column("alpha", a.alpha);
  c.column("beta", a.beta);
  c.column("gamma", a.gamma);
  c.column("dataset", a.dataset);
  c.column("dataset_mean", a.dataset_mean);
  c.column("dataset_std", a.dataset_std);
}

lacs::Range range_of(const settings::Range& r) { return {r.start, r.stop, r.step}; }

std::string member_comment(const lacs::Member& m) {
  char figures[300];
  std::snprintf(figures, sizeof figures,
                "phi %d of (alpha, beta, gamma) = (%.4g, %.4g, %.4g): depth x%.4g, width x%.4g, resolution %d, "
                "%d blocks; latency %.6g ms, accuracy %.4g (%s)",
                m.phi, m.t.alpha, m.t.beta, m.t.gamma, m.depth, m.width, m.resolution, m.layers, m.latency_ms,
                m.accuracy, m.status.c_str());
  if (m.extrapolated) return std::string(figures) + "; extrapolated: " + m.extrapolation;
  return figures;
}

}  // namespace

lacs::Problem lacs_problem(const LacsSettings& s) {
  lacs::Problem p;
  p.base = traces::mbconv_spec(s.base);
  p.batch = s.hardware.batch;
  p.objective = lacs::objective_named(s.objective);
  p.search_phi = s.search_phi;
  p.flops_budget = s.flops_budget;
  p.flops_tolerance = s.flops_tolerance;
  p.target_latency_ms = s.target_latency_ms;
  p.latency_ratio = s.latency_ratio;
  p.reward = s.reward.spec(0, nas::RewardSpec::hard(0));
  p.surrogate = lacs::Surrogate::builtin(s.fit);
  p.base_top1 = s.base_top1;
  return p;
}

lacs::GridSpec lacs_grid(const LacsSettings& s) {
  lacs::GridSpec g;
  g.alpha = range_of(s.alpha);
  g.beta = range_of(s.beta);
  g.gamma = range_of(s.gamma);
  g.refine = s.refine;
  g.refine_top = s.refine_top;
  g.refine_divisions = s.refine_divisions;
  return g;
}

std::string accuracy_method(const LacsSettings& s) {
  if (s.accuracy_method == "proxy") {
    return "proxy (" + (s.dataset.format == "fashion-mnist" ? std::string("Fashion-MNIST") : s.dataset.format) +
           ", nas/train)";
  }
  if (s.accuracy_method == "table" || s.accuracy_method == "command" || s.accuracy_method == "python") {
    return source_budget(s.accuracy_method, s.accuracy_source);
  }
  return "surrogate (lacs/surrogate.yaml)";
}

// accuracy_budget (accuracy_source.h): the proxy's training budget, the surrogate's fit rows' source, or the
// table's / command's.
std::string accuracy_budget(const LacsSettings& s) {
  if (s.accuracy_method == "proxy") {
    return "proxy: " + proxy_training_text(s.training, s.dataset) + " (lacs)";
  }
  if (s.accuracy_method == "surrogate")
    return accuracy_method(s) + "; its fit rows and their sources: the attribute surrogate";
  return source_budget(s.accuracy_method, s.accuracy_source);
}

std::string triplet_text(const lacs::Triplet& t) {
  char buf[100];
  std::snprintf(buf, sizeof buf, "(%.4g, %.4g, %.4g)", t.alpha, t.beta, t.gamma);
  return buf;
}

void log_start(std::ostream& log, const LacsSettings& s, lacs::PointEvaluator& eval) {
  const double base = eval.base_latency_ms();  // may throw: before the line starts
  const double target = s.objective == "latency-aware" ? eval.target_ms() : 0;
  log << "lacs: " << s.objective << " scaling of " << s.base << " on " << s.hardware.accelerator << " batch "
      << s.hardware.batch << ", accuracy: " << accuracy_method(s) << ", base latency " << base << " ms";
  if (target > 0)
    log << ", target " << target << " ms";
  else
    log << ", FLOPs budget " << std::pow(s.flops_budget, s.search_phi) << " +- " << s.flops_tolerance * 100 << "%";
  log << " at phi " << s.search_phi << "\n";
}

void write_family_yamls(run::RunContext& ctx, const LacsSettings& s, const lacs::Problem& p,
                        std::vector<lacs::Member>& members, const std::string& how) {
  const std::string stem = traces::output_stem(s.output);
  const std::string prefix = stem.substr(stem.find_last_of('/') + 1);  // the network name of today's files
  for (lacs::Member& m : members) {
    if (!lacs::buildable(p.base, m)) continue;  // outside the limits of a network file: no file
    const std::string label = m.family + "-phi" + std::to_string(m.phi);
    const traces::MbconvSpec spec = lacs::member_spec(p.base, m, prefix + "-" + label);
    const std::string comment = "Generated by ridgepoint run (kind: lacs), " + m.family + " family; " + how;
    ctx.files().write(label + ".yaml",
                      lacs::network_yaml(spec, {comment, member_comment(m), "accuracy source: " + accuracy_method(s)}));
    m.yaml = ctx.files().path(label + ".yaml");
  }
}

void write_lacs_output(run::RunContext& ctx, const LacsSettings& s, const LacsOutcome& o) {
  const std::string surrogate = s.accuracy_method == "surrogate" ? lacs::Surrogate::builtin(s.fit).yaml() : "";
  LacsAttributes a{s.objective,       accuracy_method(s),  surrogate,      s.base,
                   o.base_latency_ms, o.target_latency_ms, o.found.alpha,  o.found.beta,
                   o.found.gamma,     s.dataset.format,    s.dataset_mean, s.dataset_std};
  ctx.write_output([&](traces::H5Out& root) {
    run::write_table(root, "grid", o.grid, lacs::point_columns);
    run::write_table(root, "family", o.family, lacs::member_columns);
    run::write_table(root, "zoo", o.zoo, lacs::zoo_columns);
    run::write_attributes(root, a, attribute_columns);
    AccuracyAttributes acc{s.accuracy_method, accuracy_budget(s), 0};
    for (const lacs::PointResult& x : o.grid) acc.table_misses += is_table_miss(x.status) ? 1 : 0;
    run::write_attributes(root, acc, accuracy_attribute_columns);
  });
}

void report(std::ostream& log, const LacsSettings& s, const LacsOutcome& o, int64_t evaluated, int64_t resumed,
            double seconds, const std::string& side_dir) {
  const lacs::PointResult& b = o.grid[static_cast<size_t>(lacs::best_point(o.grid))];
  log << "lacs: done: " << o.grid.size() << " points (" << evaluated << " evaluated now, " << resumed
      << " from the journal) in " << seconds << " s\n";
  char top1[32];
  std::snprintf(top1, sizeof top1, "top-1 %.2f%%", b.accuracy);  // lacs accuracies are percent (grid_search.h)
  log << "lacs: best " << triplet_text(b.t) << ": " << top1 << ", latency " << b.latency_ms << " ms, reward "
      << b.reward << "\n";
  if (o.accuracy_only) log << "lacs: accuracy-only coefficients " << triplet_text(*o.accuracy_only) << "\n";
  size_t files = 0;
  for (const lacs::Member& m : o.family) {
    char line[200];
    std::snprintf(line, sizeof line, "lacs: %-13s phi %d: %3d blocks, res %3d, %7.3f GMACs, %8.3f ms, top-1 %.2f%%\n",
                  m.family.c_str(), m.phi, m.layers, m.resolution, m.macs / 1e9, m.latency_ms, m.accuracy);
    log << line;
    if (!m.feasible) log << "lacs: " << m.family << " phi " << m.phi << " is infeasible: " << m.status << "\n";
    files += m.yaml.empty() ? 0 : 1;
  }
  log << "lacs: wrote " << s.output << " and " << files << " family YAMLs in " << side_dir << "/\n";
}

}  // namespace rp::kinds
