// run_nas (torch_kinds.h): `kind: nas` (docs/nas.md). The search is nas::search (nas/search/nas_search.h); this
// file turns the settings into its problem, rates accuracy through the run's job pool (proxy training in process,
// in --jobs workers or on MPI ranks 1..N-1: the same numbers everywhere), journals each sample and writes the
// outputs (nas_output.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "accel_models/config/accelerator_config.h"
#include "experiments/kinds/accuracy/sha256.h"
#include "experiments/kinds/accuracy/trial_command.h"
#include "experiments/kinds/accuracy/trial_python.h"
#include "experiments/kinds/nas/nas_output.h"
#include "experiments/kinds/nas/nas_progress.h"
#include "experiments/kinds/nas/nas_settings.h"
#include "experiments/kinds/proxy_data.h"
#include "experiments/kinds/run_plan.h"
#include "experiments/kinds/torch_kinds.h"
#include "experiments/run/identity.h"
#include "experiments/run/interrupt.h"
#include "experiments/run/record_io.h"
#include "nas/space/arch_network.h"
#include "nas/space/proxy_network.h"
#include "nas/train/trainer.h"

namespace rp::kinds {
namespace {

constexpr double kProxyWidth = 0.25;  // the proxies' width multiplier (nas/space/proxy_network.h)

// The proxy's input and classes from the data set (square images of side >= 8: load_proxy_data), C channels, as
// many classes as the largest training label + 1.
nas::ProxyOptions proxy_input(const traces::FashionMnist& data) {
  nas::ProxyOptions p;
  p.width = kProxyWidth;
  p.resolution = data.train.rows;
  p.channels = data.train.channels;
  p.classes = 1 + *std::max_element(data.train.labels.begin(), data.train.labels.end());
  return p;
}

// The device and the data set checked (each error one line naming the file): stops before any work. Fills the
// settings' dataset_mean and dataset_std for the output attributes.
traces::FashionMnist checked_data(NasSettings& s, const std::string& file, const std::string& fashion_dir) {
  ProxyData d = load_proxy_data(s.dataset, s.training, file, fashion_dir);
  s.dataset_mean = d.mean;
  s.dataset_std = d.std;
  return std::move(d.data);
}

// The run's plan; its identity hashes every file of the data set.
// Only the proxy reads the data set; a table's or command's inputs are added by add_accuracy_inputs.
run::RunPlan nas_plan(NasSettings& s, run::RunContext& ctx) {
  const bool proxy = s.accuracy_method == "proxy";
  const bool fashion = s.dataset.format == "fashion-mnist";
  run::RunPlan plan =
      make_plan("nas", s.output, declaration(s, describe), ctx.request(), proxy && fashion, &s.hardware);
  add_accuracy_inputs(plan, s.accuracy_method, s.accuracy_source);
  if (proxy) add_dataset_inputs(plan, s.dataset);
  return plan;
}

// The proxy training options of the search (and of the winner's retraining: the same weights).
nas::TrainOptions train_options(const ProxyTraining& t, const traces::FashionMnist& data) {
  nas::TrainOptions o;
  o.train_images = t.train_images;
  o.epochs = t.epochs;
  o.seed = static_cast<uint64_t>(t.seed);
  o.threads = t.threads;
  o.val_images = std::min<int64_t>(o.val_images, data.validation);  // a small data set's whole validation split
  o.cuda = t.device == "cuda";
  o.stop = run::stop_check();
  return o;
}

// One architecture's proxy trained and scored.
double proxy_accuracy(const nas::SearchSpace& space, const traces::FashionMnist& data, const ProxyTraining& t,
                      const nas::ProxyOptions& p, const std::string& arch) {
  return nas::train_proxy(nas::proxy_network(space, space.parse(arch), p), data, train_options(t, data)).val_accuracy;
}

// The `command` source's trial files of an architecture: its network file and what proxy training would have used.
TrialFiles trial_files(const nas::SearchSpace& space, const NasSettings& s, const std::string& arch) {
  const std::string yaml =
      nas::network_yaml(space, space.parse(arch), s.resolution, "nas-candidate",
                        {"A candidate of a kind: nas run, for an external accuracy trial", "arch: " + arch});
  const nlohmann::json proxy = {{"kind", "nas"},
                                {"arch", arch},
                                {"space", s.space},
                                {"resolution", s.resolution},
                                {"seed", s.training.seed},
                                {"train_images", s.training.train_images},
                                {"epochs", s.training.epochs},
                                {"proxy_width", kProxyWidth},
                                {"dataset", s.dataset.format}};
  return {"arch-" + sha256_hex(arch).substr(0, 16), {{"network.yaml", yaml}, {"proxy.json", proxy.dump() + "\n"}}};
}

// One architecture rated by the run's source: the job of the run's pool (a rating as its reply).
run::Job accuracy_job(const nas::SearchSpace& space, const traces::FashionMnist* data, const nas::ProxyOptions& p,
                      const NasSettings& s) {
  const std::string side = run::side_directory(s.output);
  const auto table = s.accuracy_method == "table" ? load_accuracy_table(s.accuracy_source.file) : nullptr;
  return [&space, data, p, &s, side, table](const std::string& arch) {
    Rating r;
    if (s.accuracy_method == "proxy") {
      r.accuracy = proxy_accuracy(space, *data, s.training, p, arch);
    } else if (table) {
      const auto it = table->find(arch);
      if (it == table->end()) r.failure = table_miss(s.accuracy_source.file);
      if (it != table->end()) r.accuracy = it->second;
    } else {
      const std::string dir = prepare_trial(side, trial_files(space, s, arch));
      r = rate_trial(s.accuracy_method, s.accuracy_source, dir, run::stop_check());
    }
    return encode_rating(r);
  };
}

// The winner scored once on the held-out test split, after the search (docs/nas.md, "Test split"): its proxy
// retrained with the search's options (so the same weights: training is deterministic for a seed and thread count)
// and scored on the first accuracy.test_images of the 10K test images. Nothing in the search reads the test split: training_job never sets
// TrainOptions::test, so neither the journal nor /samples can hold a test figure. Sources without a test split
// (anything but the built-in proxy) get NaN and a note saying so.
std::vector<NasWinner> score_winners(const NasSettings& s, const nas::SearchSpace& space,
                                     const traces::FashionMnist* data, const nas::ProxyOptions& p,
                                     const std::vector<nas::Sample>& table) {
  const nas::Sample* best = best_sample(table);
  if (!best) return {};
  NasWinner w{1, best->step, best->arch, best->accuracy, std::numeric_limits<double>::quiet_NaN(), ""};
  if (s.accuracy_method != "proxy" || !data) {
    w.test_note = "not scored on a test split (accuracy source " + s.accuracy_method + ")";
    return {w};
  }
  nas::TrainOptions o = train_options(s.training, *data);
  o.test = true;
  traces::FashionMnist scored = *data;  // the first test_images of the test split (a copy: data is shared)
  const int64_t n = std::min(s.test_images, data->test.count);
  const size_t image = static_cast<size_t>(data->test.rows) * static_cast<size_t>(data->test.cols) *
                       static_cast<size_t>(data->test.channels);
  scored.test.count = n;
  scored.test.pixels.resize(static_cast<size_t>(n) * image);
  scored.test.labels.resize(static_cast<size_t>(n));
  const nas::TrainResult r = nas::train_proxy(nas::proxy_network(space, space.parse(w.arch), p), scored, o);
  w.test_accuracy = r.test_accuracy;
  w.test_note = "proxy retrained as in the search, scored once on " + std::to_string(n) + " of the " +
                std::to_string(data->test.count) + " test images of the data set (" + s.dataset.format + ")";
  return {w};
}

std::map<int64_t, nas::Sample> journaled_samples(run::LineJournal& j) {
  std::map<int64_t, nas::Sample> known;
  for (const nas::Sample& x : run::read_journal(j, nas::sample_columns)) known[x.step] = x;
  return known;
}

std::vector<nas::Rating> rated_by_pool(run::JobPool& pool, const std::vector<std::string>& archs) {
  std::vector<nas::Rating> acc(archs.size());
  pool.run(archs, [&](size_t i, const std::string& reply) {
    const Rating r = decode_rating(reply);
    acc[i] = {r.accuracy, r.failure};
  });
  return acc;
}

void report(std::ostream& log, const NasSettings& s, const nas::NasOutcome& out, int64_t simulations,
            const std::vector<std::string>& best_files, const std::vector<NasWinner>& winners) {
  const nas::Sample* best = best_sample(out.table);
  log << "nas: done: " << s.samples << " samples (" << out.rated << " trained now, " << out.resumed << " resumed, "
      << out.reused << " repeats reused, " << out.infeasible << " infeasible); " << simulations << " simulations\n";
  if (best) {
    char top1[32];
    std::snprintf(top1, sizeof top1, "top-1 %.2f%%", 100 * best->accuracy);  // accuracy is a fraction
    log << "nas: best reward " << best->reward << " at step " << best->step << ": latency " << best->latency_ms
        << " ms, " << top1 << ", " << best->arch << "\n";
  }
  for (const NasWinner& w : winners) {
    char test[48];
    std::snprintf(test, sizeof test, "top-1 %.2f%%", 100 * w.test_accuracy);
    log << "nas: winner (step " << w.step << ") on the test split: "
        << (std::isnan(w.test_accuracy) ? w.test_note : std::string(test) + " (" + w.test_note + ")") << "\n";
  }
  log << "nas: wrote " << s.output;
  for (const auto& f : best_files) log << ", " << f;
  log << "\n";
}

}  // namespace

int run_nas(run::RunContext& ctx) {
  NasSettings s = load_nas(ctx.request().file, ctx.request().output);
  attach_python_source(s.accuracy_method, s.accuracy_source, ctx.request());
  const nas::SearchSpace& space = nas::search_space(s.space);
  const bool proxy = s.accuracy_method == "proxy";
  std::optional<traces::FashionMnist> data;  // only the proxy trains; missing or bad: stop before any work
  nas::ProxyOptions proxy_opts;
  if (proxy) {
    data = checked_data(s, ctx.request().file, ctx.request().dataset_dir);
    proxy_opts = proxy_input(*data);
  }
  const run::RunPlan plan = nas_plan(s, ctx);
  if (!ctx.begin(plan, accuracy_job(space, data ? &*data : nullptr, proxy_opts, s))) return 0;  // an MPI rank
  start_accuracy_source(ctx, s.accuracy_method, s.accuracy_source);
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
                    journaled_samples(ctx.journal()),
                    {},
                    ctx.budget(),
                    ctx.stop()};
  p.accuracy_source = s.accuracy_method;
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
  const std::vector<NasWinner> winners =
      score_winners(s, space, data ? &*data : nullptr, proxy_opts, out.table);  // the search is over
  const auto best = write_best_networks(ctx, s, space, out.table, winners);     // the side files first, the table last
  write_nas_output(ctx, s, space, out.table, nas_references(evaluator, s.hardware.batch, s.resolution), winners);
  ctx.finish();
  report(ctx.log(), s, out, simulations, best, winners);
  return 0;
}

}  // namespace rp::kinds
