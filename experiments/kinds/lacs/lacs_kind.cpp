// run_lacs (torch_kinds.h): `kind: lacs` (docs/lacs.md). The method is lacs/ (grid_search.h, point_eval.h,
// family.h); this file turns the settings into its problem, evaluates the grid and the refinement through the run's
// job pool (in process, in --jobs workers or on MPI ranks 1..N-1: the same numbers everywhere), journals each point
// with its index, then makes the families and writes the outputs (lacs_output.h).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "accel_models/config/accelerator_config.h"
#include "experiments/kinds/accuracy/trial_python.h"
#include "experiments/kinds/lacs/lacs_output.h"
#include "experiments/kinds/proxy_data.h"
#include "experiments/kinds/run_plan.h"
#include "experiments/kinds/torch_kinds.h"
#include "experiments/run/interrupt.h"
#include "experiments/run/progress.h"
#include "experiments/run/record_io.h"
#include "lacs/proxy_accuracy.h"
#include "nas/train/trainer.h"

namespace rp::kinds {
namespace {

// The `table` or `command` source as the problem's accuracy function (percent). A candidate is its network file as
// a trial's network.yaml holds it; a table is keyed by that file's sha256 (sha256sum network.yaml).
lacs::ProxyFn external_accuracy(const LacsSettings& s) {
  const auto table = s.accuracy_method == "table" ? load_accuracy_table(s.accuracy_source.file) : nullptr;
  const std::string side = run::side_directory(s.output);
  return [&s, table, side](const traces::MbconvSpec& spec, double resolution_ratio) {
    const nlohmann::json proxy = {{"kind", "lacs"},
                                  {"base", s.base},
                                  {"resolution", spec.params.resolution},
                                  {"resolution_ratio", resolution_ratio},
                                  {"seed", s.training.seed},
                                  {"train_images", s.training.train_images},
                                  {"epochs", s.training.epochs},
                                  {"proxy_width", s.width},
                                  {"dataset", s.dataset.format}};
    const Rating r =
        rate_network_file(s.accuracy_method, s.accuracy_source, table.get(), side, lacs::candidate_yaml(spec), proxy);
    lacs::Accuracy a;
    if (r.failure.empty()) a.top1 = 100 * r.accuracy;  // lacs works in percent
    a.reason = r.failure;
    return a;
  };
}

// What a process needs to evaluate points: the accelerator's memoized evaluator, proxy training when accuracy comes
// from it, and the problem over them. Made on first use by each process that evaluates (after --jobs workers fork:
// neither SystemC nor LibTorch survives a fork); the run's own process shares the serial pool's.
class LacsWorld {
 public:
  LacsWorld(const LacsSettings& s, const traces::FashionMnist* data)
      : evaluator_(accel::AcceleratorConfig::load(s.hardware.accelerator).with_text(s.hardware.set).build()),
        problem_(lacs_problem(s)),
        points_(problem_, evaluator_) {
    problem_.stop = run::stop_check();
    problem_.accuracy_source = s.accuracy_method;
    if (s.accuracy_method == "table" || s.accuracy_method == "command" || s.accuracy_method == "python") {
      problem_.proxy = external_accuracy(s);
    }
    if (!data) return;
    proxy_.emplace(
        *data, lacs::ProxyOptions{s.training.train_images, s.training.epochs, static_cast<uint64_t>(s.training.seed),
                                  s.width, run::stop_check(), s.training.threads, s.training.device == "cuda"});
    problem_.proxy = [this](const traces::MbconvSpec& spec, double r) { return (*proxy_)(spec, r); };
  }
  lacs::PointEvaluator& points() { return points_; }
  const lacs::Problem& problem() const { return problem_; }
  accel::Evaluator& evaluator() { return evaluator_; }

 private:
  accel::Evaluator evaluator_;
  lacs::Problem problem_;
  lacs::PointEvaluator points_;
  std::optional<lacs::ProxyAccuracy> proxy_;
};
using World = std::shared_ptr<std::unique_ptr<LacsWorld>>;

LacsWorld& world_of(const World& w, const LacsSettings& s, const traces::FashionMnist* data) {
  if (!*w) *w = std::make_unique<LacsWorld>(s, data);
  return **w;
}

std::string request_of(const lacs::Triplet& t, int stage) {
  return std::to_string(stage) + " " + run::exact_number(t.alpha) + " " + run::exact_number(t.beta) + " " +
         run::exact_number(t.gamma);
}

// The job of the run's pool: "stage alpha beta gamma" -> the point's journal line.
run::Job point_job(const World& w, const LacsSettings& s, const traces::FashionMnist* data) {
  return [w, &s, data](const std::string& request) {
    int stage = 0;
    lacs::Triplet t;
    if (std::sscanf(request.c_str(), "%d %lf %lf %lf", &stage, &t.alpha, &t.beta, &t.gamma) != 4) {
      throw SimulationError("lacs: malformed job request '" + request + "'");
    }
    return run::to_json(world_of(w, s, data).points()(t, stage), lacs::point_columns);
  };
}

std::map<int64_t, lacs::PointResult> journaled_points(run::LineJournal& j) {
  std::map<int64_t, lacs::PointResult> known;
  for (const lacs::PointResult& p : run::read_journal(j, lacs::point_columns)) known[p.index] = p;
  return known;
}

// The grid search wired to the run: points through the pool, each journaled and counted as it finishes.
class GridWiring {
 public:
  GridWiring(run::RunContext& ctx, lacs::GridRun& r) : ctx_(ctx) {
    r.evaluate = [this](const std::vector<lacs::Triplet>& ts, int stage, const lacs::PointDone& done) {
      std::vector<std::string> requests;
      for (const lacs::Triplet& t : ts) requests.push_back(request_of(t, stage));
      ctx_.pool().run(requests,
                      [&](size_t i, const std::string& reply) { done(i, run::from_json(reply, lacs::point_columns)); });
    };
    r.on_point = [this](const lacs::PointResult& p) {
      ctx_.journal().append(run::to_json(p, lacs::point_columns));
      ++ctx_.summary().computed;
      progress_->update(++count_);
    };
    r.on_stage = [this](int stage, int64_t points, int64_t known, int64_t todo) {
      if (progress_) progress_->finish();
      ctx_.log() << "lacs: " << (stage == 0 ? "grid" : "refinement") << ": " << points << " points, " << known
                 << " from the journal, " << todo << " to evaluate\n";
      progress_.emplace(ctx_.log(), points, known, run::is_terminal(2));
      count_ = 0;
    };
  }
  ~GridWiring() {
    if (progress_) progress_->finish();
  }

 private:
  run::RunContext& ctx_;
  std::optional<run::Progress> progress_;
  int64_t count_ = 0;
};

// The found coefficients' family and, for a latency-aware run, the accuracy-only family on the same base, with
// their network files.
void make_families(run::RunContext& ctx, const LacsSettings& s, LacsWorld& w, const lacs::GridSpec& g, LacsOutcome& o) {
  const bool latency_aware = s.objective == "latency-aware";
  o.family = lacs::make_family(w.points(), latency_aware ? "lacs" : "accuracy-only", o.found, s.phi);
  write_family_yamls(ctx, s, w.problem(), o.family, s.objective + " coefficients " + triplet_text(o.found));
  if (!latency_aware) return;
  o.accuracy_only = lacs::accuracy_only_coefficients(w.problem(), g, o.grid);
  if (!o.accuracy_only) {
    ctx.log() << "lacs: no triplet of the grid is within the FLOPs budget: no accuracy-only family\n";
    return;
  }
  std::vector<lacs::Member> ref = lacs::make_family(w.points(), "accuracy-only", *o.accuracy_only, s.phi);
  write_family_yamls(ctx, s, w.problem(), ref, "accuracy-only coefficients " + triplet_text(*o.accuracy_only));
  o.family.insert(o.family.end(), ref.begin(), ref.end());
}

}  // namespace

int run_lacs(run::RunContext& ctx) {
  LacsSettings s = load_lacs(ctx.request().file, ctx.request().output);
  attach_python_source(s.accuracy_method, s.accuracy_source, ctx.request());
  std::optional<traces::FashionMnist> data;  // loaded before begin(): forked workers inherit it
  if (s.accuracy_method == "proxy") {        // device, data set and train_images checked before any work
    ProxyData p = load_proxy_data(s.dataset, s.training, ctx.request().file, ctx.request().dataset_dir);
    data = std::move(p.data);
    s.dataset_mean = p.mean;
    s.dataset_std = p.std;
  }
  const traces::FashionMnist* d = data ? &*data : nullptr;
  const auto world = std::make_shared<std::unique_ptr<LacsWorld>>();
  const bool fashion = s.dataset.format == "fashion-mnist";
  run::RunPlan plan =
      make_plan("lacs", s.output, declaration(s, describe), ctx.request(), d != nullptr && fashion, &s.hardware);
  add_accuracy_inputs(plan, s.accuracy_method, s.accuracy_source);
  if (d) add_dataset_inputs(plan, s.dataset);
  if (!ctx.begin(plan, point_job(world, s, d))) return 0;  // an MPI rank that evaluated points for rank 0
  start_accuracy_source(ctx, s.accuracy_method, s.accuracy_source);
  const auto start = std::chrono::steady_clock::now();
  LacsWorld& w = world_of(world, s, d);
  log_start(ctx.log(), s, w.points());
  lacs::GridRun r;
  r.grid = lacs_grid(s);
  r.known = journaled_points(ctx.journal());
  r.budget = ctx.budget();
  lacs::GridOutcome out;
  {
    GridWiring wiring(ctx, r);
    out = lacs::search(r);
  }
  ctx.summary().total = out.complete ? static_cast<int64_t>(out.points.size()) : out.grid_points;
  ctx.summary().done_before = out.resumed;
  if (!out.complete) {
    ctx.log() << "lacs: stopped with " << r.known.size() + out.evaluated << " points done; run again to continue\n";
    return 0;
  }
  const int best = lacs::best_point(out.points);
  if (best < 0) throw SimulationError("lacs: no feasible triplet in the grid (see " + ctx.journal().path() + ")");
  LacsOutcome o;
  o.grid = out.points;
  o.found = out.points[static_cast<size_t>(best)].t;
  o.base_latency_ms = w.points().base_latency_ms();
  o.target_latency_ms = s.objective == "latency-aware" ? w.points().target_ms() : 0;
  make_families(ctx, s, w, r.grid, o);
  o.zoo = lacs::zoo_references(w.evaluator(), s.hardware.batch, w.problem().surrogate, ctx.stop());
  write_lacs_output(ctx, s, o);
  ctx.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report(ctx.log(), s, o, out.evaluated, out.resumed, seconds, ctx.files().dir());
  return 0;
}

}  // namespace rp::kinds
