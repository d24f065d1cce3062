// run_nas (torch_kinds.h): `kind: nas` (docs/nas.md). The search is nas::search (nas/search/nas_search.h); this
// file turns the settings into its problem, rates accuracy through the run's job pool (proxy training in process,
// in --jobs workers or on MPI ranks 1..N-1: the same numbers everywhere), journals each sample and writes the
// outputs (nas_output.h).
#include <algorithm>
#include <cstdio>
#include <map>
#include <ostream>

#include "accel_models/config/accelerator_config.h"
#include "experiments/kinds/nas/nas_output.h"
#include "experiments/kinds/nas/nas_progress.h"
#include "experiments/kinds/nas/nas_settings.h"
#include "experiments/kinds/run_plan.h"
#include "experiments/kinds/torch_kinds.h"
#include "experiments/run/identity.h"
#include "experiments/run/interrupt.h"
#include "experiments/run/record_io.h"
#include "nas/space/proxy_network.h"
#include "nas/train/trainer.h"

namespace rp::kinds {
namespace {

constexpr double kProxyWidth = 0.25;  // the proxies' width multiplier (nas/space/proxy_network.h)

// One architecture's proxy trained and scored: the job of the run's pool.
// The proxy's input and classes from the data set: square images of side >= 8 (five stride-2 stages), C channels,
// as many classes as the largest training label + 1.
nas::ProxyOptions proxy_input(const traces::FashionMnist& data, const std::string& file) {
  if (data.train.rows != data.train.cols || data.train.rows < 8) {
    throw UsageError(file + ": dataset: the proxy networks need square images of side >= 8, got " +
                     std::to_string(data.train.cols) + " x " + std::to_string(data.train.rows));
  }
  nas::ProxyOptions p;
  p.width = kProxyWidth;
  p.resolution = data.train.rows;
  p.channels = data.train.channels;
  p.classes = 1 + *std::max_element(data.train.labels.begin(), data.train.labels.end());
  return p;
}

std::string joined(const std::vector<float>& v) {
  std::string out;
  for (float x : v) out += (out.empty() ? "" : ",") + run::exact_number(x);
  return out;
}

// The device and the data set checked (each error one line naming the file): stops before any work. Fills the
// settings' dataset_mean and dataset_std for the output attributes.
traces::FashionMnist checked_data(NasSettings& s, const std::string& file, const std::string& fashion_dir) {
  try {
    nas::check_device(s.training.device == "cuda");
  } catch (const UsageError& e) {
    throw UsageError(file + ": accuracy." + e.what());
  }
  traces::FashionMnist data = traces::load_dataset(s.dataset, fashion_dir);
  if (s.training.train_images > data.train_pool()) {
    throw UsageError(file + ": accuracy.train_images " + std::to_string(s.training.train_images) +
                     " exceeds the data set's " + std::to_string(data.train_pool()) +
                     " training images (before its validation split)");
  }
  s.dataset_mean = joined(data.train.mean);
  s.dataset_std = joined(data.train.std);
  return data;
}

// The run's plan; its identity hashes every file of the data set.
run::RunPlan nas_plan(NasSettings& s, run::RunContext& ctx) {
  const bool fashion = s.dataset.format == "fashion-mnist";
  run::RunPlan plan = make_plan("nas", s.output, declaration(s, describe), ctx.request(), fashion, &s.hardware);
  if (!fashion) {
    for (const std::string& f : traces::dataset_files(s.dataset, "")) {
      plan.identity.inputs.push_back(run::input_file("data set", f));
    }
  }
  return plan;
}

run::Job training_job(const nas::SearchSpace& space, const traces::FashionMnist& data, const ProxyTraining& t,
                      const nas::ProxyOptions& p) {
  return [&space, &data, t, p](const std::string& arch) {
    nas::TrainOptions o;
    o.train_images = t.train_images;
    o.epochs = t.epochs;
    o.seed = static_cast<uint64_t>(t.seed);
    o.threads = t.threads;
    o.val_images = std::min<int64_t>(o.val_images, data.validation);  // a small data set's whole validation split
    o.cuda = t.device == "cuda";
    o.stop = run::stop_check();
    return run::exact_number(nas::train_proxy(nas::proxy_network(space, space.parse(arch), p), data, o).val_accuracy);
  };
}

std::map<int64_t, nas::Sample> journaled(run::LineJournal& j) {
  std::map<int64_t, nas::Sample> known;
  for (const nas::Sample& x : run::read_journal(j, nas::sample_columns)) known[x.step] = x;
  return known;
}

std::vector<double> rated_by_pool(run::JobPool& pool, const std::vector<std::string>& archs) {
  std::vector<double> acc(archs.size());
  pool.run(archs, [&](size_t i, const std::string& reply) { acc[i] = std::stod(reply); });
  return acc;
}

void report(std::ostream& log, const NasSettings& s, const nas::NasOutcome& out, int64_t simulations,
            const std::vector<std::string>& best_files) {
  const nas::Sample* best = nullptr;
  for (const nas::Sample& x : out.table) {
    if (x.feasible && (!best || x.reward > best->reward)) best = &x;
  }
  log << "nas: done: " << s.samples << " samples (" << out.rated << " trained now, " << out.resumed << " resumed, "
      << out.reused << " repeats reused, " << out.infeasible << " infeasible); " << simulations << " simulations\n";
  if (best) {
    char top1[32];
    std::snprintf(top1, sizeof top1, "top-1 %.2f%%", 100 * best->accuracy);  // accuracy is a fraction
    log << "nas: best reward " << best->reward << " at step " << best->step << ": latency " << best->latency_ms
        << " ms, " << top1 << ", " << best->arch << "\n";
  }
  log << "nas: wrote " << s.output;
  for (const auto& f : best_files) log << ", " << f;
  log << "\n";
}

}  // namespace

int run_nas(run::RunContext& ctx) {
  NasSettings s = load_nas(ctx.request().file, ctx.request().output);
  const nas::SearchSpace& space = nas::search_space(s.space);
  const traces::FashionMnist data = checked_data(s, ctx.request().file, ctx.request().dataset_dir);
  const nas::ProxyOptions proxy = proxy_input(data, ctx.request().file);
  const run::RunPlan plan = nas_plan(s, ctx);
  if (!ctx.begin(plan, training_job(space, data, s.training, proxy))) {
    return 0;  // an MPI rank that trained for rank 0
  }
  accel::Evaluator evaluator(accel::AcceleratorConfig::load(s.hardware.accelerator).with_text(s.hardware.set).build());
  nas::ControllerOptions co;
  co.seed = static_cast<uint64_t>(s.search_seed);
  co.round = s.round;
  const auto controller = nas::make_controller(s.method, nas::decision_sizes(space), co);
  nas::NasProblem p{&space,
                    controller.get(),
                    co.round,
                    &evaluator,
                    s.resolution,
                    s.hardware.batch,
                    s.reward_spec(),
                    s.samples,
                    {},
                    journaled(ctx.journal()),
                    {},
                    ctx.budget(),
                    ctx.stop()};
  int64_t resumed = 0;
  for (const auto& [step, x] : p.known) resumed += step < s.samples ? 1 : 0;
  NasProgress progress(ctx.log(), s.samples, resumed);
  ctx.summary().total = s.samples;
  ctx.summary().done_before = resumed;
  p.accuracy = [&](const std::vector<std::string>& archs) { return rated_by_pool(ctx.pool(), archs); };
  p.on_sample = [&](const nas::Sample& x) {
    ctx.journal().append(run::to_json(x, nas::sample_columns));
    progress.sample_done(x);
    ++ctx.summary().computed;
  };
  char size[32];
  std::snprintf(size, sizeof size, "%.4g", space.size());
  ctx.log() << "nas: space " << space.name << " (" << space.decisions.size() << " decisions, " << size
            << " architectures), " << s.method << " search, " << s.samples << " samples on " << s.hardware.accelerator
            << " batch " << s.hardware.batch << ", reward " << p.reward.describe() << "\n";
  if (resumed > 0) {
    ctx.log() << "nas: resuming: " << resumed << " of " << s.samples << " samples already done, " << s.samples - resumed
              << " to do\n";
  }
  const nas::NasOutcome out = nas::search(p);
  progress.finish();
  if (!out.complete) {
    ctx.log() << "nas: stopped with " << ctx.journal().records().size() << " of " << s.samples
              << " samples done; run again to continue\n";
    return 0;
  }
  const int64_t simulations = evaluator.simulations();
  const auto best = write_best_networks(ctx, s, space, out.table);  // the side files first, the table last
  write_nas_output(ctx, s, space, out.table, nas_references(evaluator, s.hardware.batch, s.resolution));
  ctx.finish();
  report(ctx.log(), s, out, simulations, best);
  return 0;
}

}  // namespace rp::kinds
