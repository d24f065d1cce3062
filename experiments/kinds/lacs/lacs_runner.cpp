#include "experiments/kinds/lacs/lacs_runner.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <ostream>

#include "experiments/run/interrupt.h"
#include "experiments/run/progress.h"
#include "lacs/family.h"
#include "experiments/kinds/lacs/grid_journal.h"
#include "experiments/kinds/lacs/lacs_output.h"
#include "lacs/point_eval.h"
#include "lacs/zoo_references.h"
#include "experiments/run/worker_pool.h"
#include "simulator/error.h"
#include "traces/writers/output_file.h"
#include "experiments/run/run_lock.h"

namespace rp::lacs {
namespace {

std::string request_of(const Triplet& t, int stage) {
  char buf[120];
  std::snprintf(buf, sizeof buf, "%d %.17g %.17g %.17g", stage, t.alpha, t.beta, t.gamma);
  return buf;
}

bool same(const Triplet& a, const Triplet& b) {
  return std::fabs(a.alpha - b.alpha) < 1e-9 && std::fabs(a.beta - b.beta) < 1e-9 &&
         std::fabs(a.gamma - b.gamma) < 1e-9;
}

std::string text(const Triplet& t) {
  char buf[100];
  std::snprintf(buf, sizeof buf, "(%.4g, %.4g, %.4g)", t.alpha, t.beta, t.gamma);
  return buf;
}

// Runs one stage: points [first, first + n) of the evaluation order; false when stopped early.
class StageRunner {
 public:
  StageRunner(const GridJournal& journal, std::map<int64_t, PointResult>& done, PointEvaluator& eval,
              nas::WorkerPool* pool, const LacsRunOptions& o, LacsSummary& sum, std::ostream& log)
      : journal_(journal), done_(done), eval_(eval), pool_(pool), o_(o), sum_(sum), log_(log) {}

  bool run(const std::vector<Triplet>& points, int64_t first, int stage, std::vector<PointResult>& out) {
    std::vector<size_t> todo;
    out.assign(points.size(), PointResult{});
    int64_t resumed = 0;
    for (size_t i = 0; i < points.size(); ++i) {
      const int64_t index = first + static_cast<int64_t>(i);
      const auto it = done_.find(index);
      if (it != done_.end()) {
        if (!same(it->second.t, points[i]) || it->second.stage != stage) {
          throw UsageError(journal_.path() + ": point " + std::to_string(index) + " recorded " + text(it->second.t) +
                           " but the search proposes " + text(points[i]) + " (journal of another build?); use --fresh");
        }
        out[i] = it->second;
        ++resumed;
      } else {
        todo.push_back(i);
      }
    }
    sum_.resumed += resumed;
    bool stopped = false;
    if (o_.max_points >= 0) {
      const int64_t left = std::max<int64_t>(0, o_.max_points - sum_.evaluated);
      if (static_cast<int64_t>(todo.size()) > left) {
        todo.resize(static_cast<size_t>(left));
        stopped = true;
      }
    }
    log_ << "lacs: " << (stage == 0 ? "grid" : "refinement") << ": " << points.size() << " points, " << resumed
         << " from the journal, " << todo.size() << " to evaluate\n";
    run::Progress progress(log_, static_cast<int64_t>(points.size()), resumed, run::is_terminal(2));
    int64_t count = 0;
    auto finish = [&](size_t i, const PointResult& p) {
      out[i] = p;
      done_[first + static_cast<int64_t>(i)] = p;
      journal_.append(first + static_cast<int64_t>(i), p);
      ++sum_.evaluated;
      progress.update(++count);
    };
    if (pool_) {
      std::vector<std::string> requests;
      for (size_t i : todo) requests.push_back(request_of(points[i], stage));
      pool_->run(requests,
                 [&](size_t r, const std::string& reply) { finish(todo[r], point_from_json(reply, nullptr)); });
    } else {
      for (size_t i : todo) {
        if (run::interrupted()) {
          stopped = true;
          break;
        }
        finish(i, eval_(points[i], stage));
      }
    }
    progress.finish();
    if (run::interrupted()) stopped = true;
    return !stopped;
  }

 private:
  const GridJournal& journal_;
  std::map<int64_t, PointResult>& done_;
  PointEvaluator& eval_;
  nas::WorkerPool* pool_;
  const LacsRunOptions& o_;
  LacsSummary& sum_;
  std::ostream& log_;
};

// The accuracy-only coefficients for a latency-aware run: with the surrogate, an accuracy-only search of its
// own over the same grid (no simulation needed); with the proxy, the best in-budget point already trained.
Triplet accuracy_only_coefficients(const LacsExperiment& e, PointEvaluator& eval,
                                   const std::vector<PointResult>& evaluated) {
  const double budget = std::pow(e.flops_budget, e.search_phi);
  auto in_budget = [&](const Triplet& t) {
    return std::fabs(flops_ratio(t, e.search_phi) / budget - 1) <= e.flops_tolerance;
  };
  if (e.accuracy.method == "proxy") {
    int best = -1;
    for (size_t i = 0; i < evaluated.size(); ++i) {
      const PointResult& p = evaluated[i];
      if (!p.feasible || !in_budget(p.t)) continue;
      if (best < 0 || p.accuracy > evaluated[static_cast<size_t>(best)].accuracy) best = static_cast<int>(i);
    }
    return best < 0 ? Triplet{} : evaluated[static_cast<size_t>(best)].t;
  }
  const auto points =
      surrogate_accuracy_only(e.grid, eval.surrogate(), e.flops_budget, e.flops_tolerance, e.search_phi);
  const int best = best_point(points);
  return best < 0 ? Triplet{} : points[static_cast<size_t>(best)].t;
}

}  // namespace

LacsSummary run_lacs(const LacsExperiment& e, const LacsRunOptions& o, std::ostream& log) {
  if (o.jobs < 1) throw UsageError("--jobs must be >= 1");
  const auto start = std::chrono::steady_clock::now();
  const std::string journal_path = e.output + ".progress.jsonl";
  const traces::RunLock lock(e.output);  // one run per output, before removing or opening anything beside it
  if (o.fresh) {
    std::remove(journal_path.c_str());
    std::remove(e.output.c_str());
  }
  const GridJournal journal(journal_path, e.canonical());
  std::map<int64_t, PointResult> done = journal.read();

  std::shared_ptr<const nas::FashionMnist> data;
  if (e.accuracy.method == "proxy") {
    data = std::make_shared<const nas::FashionMnist>(nas::FashionMnist::load(o.dataset_dir));
  }

  // Workers fork before this process runs SystemC or LibTorch; each builds its own evaluator on first use.
  std::unique_ptr<nas::WorkerPool> pool;
  if (o.jobs > 1) {
    auto holder = std::make_shared<std::unique_ptr<PointEvaluator>>();
    pool = std::make_unique<nas::WorkerPool>(o.jobs, [holder, &e, data](const std::string& request) {
      if (!*holder) *holder = std::make_unique<PointEvaluator>(e, data);
      int stage = 0;
      Triplet t;
      if (std::sscanf(request.c_str(), "%d %lf %lf %lf", &stage, &t.alpha, &t.beta, &t.gamma) != 4) {
        throw SimulationError("bad worker request '" + request + "'");
      }
      return point_json(0, (**holder)(t, stage));
    });
  }
  PointEvaluator eval(e, data);
  LacsSummary sum;
  LacsExperiment resolved = e;
  resolved.reward.target_ms = e.objective == Objective::kLatencyAware ? eval.target_ms() : 0;
  const std::string method =
      e.accuracy.method == "surrogate"
          ? "surrogate (lacs/surrogate" + std::string(e.accuracy.fit == "all" ? "" : "-no-b1") + ".yaml)"
          : "proxy (Fashion-MNIST, nas/train)";
  log << "lacs: " << objective_name(e.objective) << " scaling of " << e.base << " on " << e.accelerator << " batch "
      << e.batch << ", accuracy: " << method << ", base latency " << eval.base_latency_ms() << " ms";
  if (e.objective == Objective::kLatencyAware) log << ", target " << resolved.reward.target_ms << " ms";
  else log << ", FLOPs budget " << std::pow(e.flops_budget, e.search_phi) << " +- " << e.flops_tolerance * 100 << "%";
  log << " at phi " << e.search_phi << "\n";

  run::install_interrupt_handlers();
  StageRunner stages(journal, done, eval, pool.get(), o, sum, log);
  std::vector<PointResult> all, fine;
  const std::vector<Triplet> coarse = grid_points(e.grid);
  bool complete = stages.run(coarse, 0, 0, all);
  if (complete && e.grid.refine) {
    const std::vector<Triplet> near = refine_points(e.grid, all);
    complete = stages.run(near, static_cast<int64_t>(coarse.size()), 1, fine);
    all.insert(all.end(), fine.begin(), fine.end());
  }
  sum.points = static_cast<int64_t>(all.size());
  if (!complete) {
    log << "lacs: stopped with " << done.size() << " points done; run again to continue\n";
    return sum;
  }
  const int best = best_point(all);
  if (best < 0) throw SimulationError("lacs: no feasible triplet in the grid (see " + journal_path + ")");
  sum.found = all[static_cast<size_t>(best)].t;
  const std::string stem = traces::output_stem(e.output);
  const std::string label = e.objective == Objective::kLatencyAware ? "lacs" : "accuracy-only";
  std::vector<Member> family = make_family(eval, label, sum.found, e.phi, stem);
  write_family_yamls(eval.base(), family, stem, objective_name(e.objective) + " coefficients " + text(sum.found));
  sum.accuracy_only = sum.found;
  if (e.objective == Objective::kLatencyAware) {
    sum.accuracy_only = accuracy_only_coefficients(e, eval, all);
    std::vector<Member> ref = make_family(eval, "accuracy-only", sum.accuracy_only, e.phi, stem);
    write_family_yamls(eval.base(), ref, stem, "accuracy-only coefficients " + text(sum.accuracy_only));
    family.insert(family.end(), ref.begin(), ref.end());
  }
  LacsOutputMeta meta{resolved, accel::AcceleratorConfig::load(e.accelerator).with_text(e.set).yaml(), method,
                      e.accuracy.method == "surrogate" ? eval.surrogate().yaml() : "", eval.base_latency_ms(),
                      resolved.reward.target_ms, sum.found, o.version};
  write_lacs_h5(e.output, meta, all, family, zoo_references(eval.oracle(), eval.surrogate()));
  sum.complete = true;
  sum.simulations = eval.oracle().simulations();
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sum.files.push_back(e.output);
  for (const Member& m : family) sum.files.push_back(m.yaml_path);
  const PointResult& b = all[static_cast<size_t>(best)];
  log << "lacs: done: " << all.size() << " points (" << sum.evaluated << " evaluated now, " << sum.resumed
      << " from the journal) in " << sum.seconds << " s\n";
  log << "lacs: best " << text(b.t) << ": accuracy " << b.accuracy << ", latency " << b.latency_ms << " ms, reward "
      << b.reward << "\n";
  if (e.objective == Objective::kLatencyAware) {
    log << "lacs: accuracy-only coefficients " << text(sum.accuracy_only) << "\n";
  }
  for (const Member& m : family) {
    char line[200];
    std::snprintf(line, sizeof line, "lacs: %-13s phi %d: %3d blocks, res %3d, %7.3f GMACs, %8.3f ms, top-1 %.2f\n",
                  m.family.c_str(), m.phi, m.layers, m.resolution, m.macs / 1e9, m.latency_ms, m.accuracy);
    log << line;
  }
  log << "lacs: wrote " << e.output << " and " << family.size() << " family YAMLs beside it\n";
  return sum;
}

int run_lacs_experiment(const std::string& file, const LacsRunOptions& o, std::ostream& log) {
  const LacsExperiment e = LacsExperiment::load(file);
  const LacsSummary s = run_lacs(e, o, log);
  if (!s.complete && run::interrupted()) return 130;
  return 0;
}

}  // namespace rp::lacs
