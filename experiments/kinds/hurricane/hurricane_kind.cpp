// run_hurricane (torch_kinds.h): `kind: hurricane` (docs/hurricane.md). The method is nas/hurricane (space
// generation, then hurricane::two_stage_search); this file generates the space on the simulated accelerator, scores
// candidates through the run's job pool (in process, in --jobs workers or on MPI ranks 1..N-1: the same numbers
// everywhere; fitness_job.h), journals each fitness, keeps the supernet's checkpoints and weights in the run's
// directory, and writes the outputs (hurricane_output.h).
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <ostream>

#include "accel_models/config/accelerator_config.h"
#include "experiments/kinds/hurricane/fitness_job.h"
#include "experiments/kinds/hurricane/hurricane_output.h"
#include "experiments/kinds/hurricane/hurricane_progress.h"
#include "experiments/kinds/hurricane/retrain_source.h"
#include "experiments/kinds/proxy_data.h"
#include "experiments/kinds/run_plan.h"
#include "experiments/kinds/torch_kinds.h"
#include "experiments/run/record_io.h"
#include "traces/yaml/yaml_map.h"

namespace rp::kinds {
namespace {

using hurricane::Arch;

std::string checkpoint_name(int stage) { return "stage" + std::to_string(stage) + ".ckpt"; }
std::string weights_name(int stage) { return "stage" + std::to_string(stage) + ".weights"; }

hurricane::HwSpace generate(const HurricaneSettings& s, const accel::IAccelerator& acc, const StopCheck& stop) {
  traces::Skeleton sk = traces::default_skeleton(s.layers);
  sk.resolution = s.resolution;
  const hurricane::SpaceOptions o{s.p, s.alpha, s.exploring_layers, s.pool, s.ops};
  return hurricane::generate_space(o, sk, s.hardware.batch, acc.info().precision, [&](const traces::Network& n) {
    poll(stop);
    const accel::Evaluation ev = accel::evaluate(n, acc);
    return ev.ok ? ev.result.latency_ms : std::numeric_limits<double>::infinity();
  });
}

hurricane::TwoStageOptions options_of(const HurricaneSettings& s) {
  hurricane::TwoStageOptions o;
  o.t = s.t;
  o.latency_limit_ms = s.latency_constraint_ms;
  o.search = {s.population, s.generations, s.parents, s.mutation, static_cast<uint64_t>(s.search_seed)};
  o.width = s.width;
  o.train_images = s.supernet.train_images;
  o.epochs = s.supernet.epochs;
  o.stage2_fraction = s.stage2_fraction;
  o.seed = static_cast<uint64_t>(s.supernet.seed);
  o.threads = s.supernet.threads;  // supernet training and retraining (retrain: has no threads of its own)
  o.batch = s.supernet_batch;
  o.lr = s.lr;
  o.val_images = s.val_images;
  o.bn_images = s.bn_images;
  o.retrain = s.retrain && s.retrain_method == "proxy";  // table, command: rated_results (retrain_source.h)
  o.retrain_images = s.retraining.train_images;
  o.retrain_epochs = s.retraining.epochs;
  o.retrain_seed = static_cast<uint64_t>(s.retraining.seed);
  o.retrain_cuda = s.retraining.device == "cuda";
  return o;
}

// The fitness lines (the checkpoints' lines are of another record and are skipped).
std::vector<hurricane::FitnessRecord> journaled_fitness(run::LineJournal& j) {
  return run::read_journal(j, hurricane::fitness_columns);
}

// Candidates scored by the pool's workers with the stage's weight file.
hurricane::ScoreBatch scored_by_pool(run::RunContext& ctx, const HurricaneSettings& s, const hurricane::Choices& c) {
  return [&ctx, &s, &c](int stage, const std::vector<Arch>& archs, const std::function<void(size_t, double)>& done) {
    std::vector<std::string> requests;
    for (const Arch& a : archs) {
      requests.push_back(
          FitnessRequest{ctx.files().path(weights_name(stage)), c, s.width, a, s.val_images, s.bn_images}.encode());
    }
    ctx.pool().run(requests, [&](size_t i, const std::string& reply) { done(i, std::stod(reply)); });
  };
}

// The plumbing of the search: the pool, the journal, the run's directory, progress, interrupts.
void connect(hurricane::TwoStageProblem& p, run::RunContext& ctx, const HurricaneSettings& s,
             const hurricane::Choices& choices, HurricaneProgress& progress) {
  p.known = journaled_fitness(ctx.journal());
  ctx.summary().done_before = static_cast<int64_t>(p.known.size());
  p.fitness = scored_by_pool(ctx, s, choices);
  p.on_fitness = [&ctx](const hurricane::FitnessRecord& r) {
    ctx.journal().append(run::to_json(r, hurricane::fitness_columns));
    ++ctx.summary().computed;
  };
  p.on_weights = [&ctx](int stage, const std::string& bytes) { ctx.files().write(weights_name(stage), bytes); };
  p.save_checkpoint = [&ctx](const hurricane::CheckpointRecord& r, const std::string& bytes) {
    ctx.files().write(checkpoint_name(r.stage), bytes);  // the file first: a journaled checkpoint exists
    ctx.journal().append(run::to_json(r, hurricane::checkpoint_columns));
  };
  p.load_checkpoint = [&ctx](int stage) { return ctx.files().read(checkpoint_name(stage)); };
  p.observer = &progress;
  p.stop = ctx.stop();
}

void log_space(std::ostream& log, const HurricaneSettings& s, const hurricane::HwSpace& space, double fastest_ms) {
  char line[300];
  std::snprintf(line, sizeof line,
                "hurricane: space on %s batch %lld: %d layers, %.3g architectures; %lld op benchmarks in %.2f s; "
                "fastest architecture %.6g ms, limit %.6g ms\n",
                s.hardware.accelerator.c_str(), static_cast<long long>(s.hardware.batch), s.layers, space.size(),
                static_cast<long long>(space.benchmarks), space.seconds, fastest_ms, s.latency_constraint_ms);
  log << line;
}

void report(std::ostream& log, const HurricaneSettings& s, const hurricane::TwoStageOutcome& out,
            const ResultRow& winner, const std::string& winner_yaml, int64_t simulations) {
  const hurricane::Reported& w = winner.r;
  char line[300];
  std::snprintf(line, sizeof line,
                "hurricane: winner %s: %.6g ms (limit %.6g ms; a_win0 %.6g ms), supernet top-1 %.2f%%", w.label.c_str(),
                w.latency_ms, s.latency_constraint_ms, out.reported.front().latency_ms, 100 * w.supernet_accuracy);
  log << line;
  if (s.retrain && !winner.retrain_note.empty()) {
    log << ", " << s.retrain_method << ": " << winner.retrain_note;
  } else if (s.retrain && s.retrain_method != "proxy") {
    std::snprintf(line, sizeof line, ", rated by the %s source: top-1 %.2f%%", s.retrain_method.c_str(),
                  100 * w.retrain_val_accuracy);
    log << line;
  } else if (s.retrain) {
    std::snprintf(line, sizeof line, ", retrained: validation top-1 %.2f%%, test top-1 %.2f%%",
                  100 * w.retrain_val_accuracy, 100 * w.retrain_test_accuracy);
    log << line;
  }
  std::string ops = w.arch;
  for (char& ch : ops) ch = ch == ',' ? ' ' : ch;
  log << "\nhurricane: " << ops << "\nhurricane: wrote " << s.output << ", " << winner_yaml << " (" << simulations
      << " candidate simulations)\n";
}

}  // namespace

int run_hurricane(run::RunContext& ctx) {
  if (ctx.request().max_units >= 0) {
    throw UsageError("run: --max-points does not apply to kind: hurricane (stop it any time: a rerun resumes)");
  }
  HurricaneSettings s = load_hurricane(ctx.request().file, ctx.request().output);
  attach_python_source(s.retrain ? s.retrain_method : "", s.retrain_source, ctx.request(), "retrain");
  // The proxy retraining's data set, its device checked, loaded and its normalization taken as NAS and LACS take
  // theirs (load_proxy_data) before any work; Fashion-MNIST is also the supernet's, loaded once.
  std::optional<ProxyData> retrain_data;
  if (s.retrain && s.retrain_method == "proxy") {
    retrain_data =
        load_proxy_data(s.retrain_dataset, s.retraining, ctx.request().file, ctx.request().dataset_dir, "retrain");
    s.retrain_dataset_mean = retrain_data->mean;
    s.retrain_dataset_std = retrain_data->std;
  }
  const bool own_retrain_data = retrain_data && s.retrain_dataset.format != "fashion-mnist";
  std::optional<traces::FashionMnist> fashion;  // the supernet's, unless the retraining loaded it already
  if (!retrain_data || own_retrain_data) fashion = traces::FashionMnist::load(ctx.request().dataset_dir);
  const traces::FashionMnist& data = fashion ? *fashion : retrain_data->data;  // missing: stopped before any work
  FitnessWorker worker(data, s.output);
  const run::Job rate = rating_job(s);
  run::RunPlan plan = make_plan("hurricane", s.output, declaration(s, describe), ctx.request(), true, &s.hardware);
  if (s.retrain) add_accuracy_inputs(plan, s.retrain_method, s.retrain_source);
  if (own_retrain_data) add_dataset_inputs(plan, s.retrain_dataset);
  if (!ctx.begin(plan, [&worker, &rate](const std::string& request) {
        return is_rating_request(request) ? rate(request) : worker(request);
      })) {
    return 0;  // an MPI rank that scored candidates (and rated the reported architectures) for rank 0
  }
  if (s.retrain) start_accuracy_source(ctx, s.retrain_method, s.retrain_source);
  accel::Evaluator evaluator(accel::AcceleratorConfig::load(s.hardware.accelerator).with_text(s.hardware.set).build());
  const hurricane::HwSpace space = generate(s, evaluator.accelerator(), ctx.stop());
  const hurricane::Choices choices = space.choices();
  HurricaneProgress progress(ctx.log());
  hurricane::TwoStageProblem p;
  p.space = &space;
  p.data = &data;
  p.retrain_data = own_retrain_data ? &retrain_data->data : nullptr;
  p.evaluator = &evaluator;
  p.resolution = s.resolution;
  p.batch = s.hardware.batch;
  p.options = options_of(s);
  hurricane::TwoStageOutcome out;
  try {
    log_space(ctx.log(), s, space, hurricane::check_meetable(p));  // before any training
    connect(p, ctx, s, choices, progress);
    out = hurricane::two_stage_search(p);
  } catch (const hurricane::Unmeetable& e) {
    traces::YamlMap::load_file(ctx.request().file).fail("latency_constraint_ms", e.what());
  }
  const int64_t simulations = evaluator.simulations();
  const std::vector<ResultRow> rows = rated_results(ctx, s, out.reported);
  const std::string winner = write_winner_yaml(ctx, s, space, out);  // the side files first, the table last
  write_hurricane_output(ctx, s, space, out, rows);
  ctx.summary().total = ctx.summary().done_before + ctx.summary().computed;
  ctx.finish();
  report(ctx.log(), s, out, rows.back(), winner, simulations);
  return 0;
}

}  // namespace rp::kinds
