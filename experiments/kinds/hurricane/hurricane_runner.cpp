#include "experiments/kinds/hurricane/hurricane_runner.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <ostream>

#include "accel_models/config/accelerator_config.h"
#include "accel_models/evaluate.h"
#include "experiments/kinds/hurricane/fitness_cache.h"
#include "experiments/kinds/hurricane/fitness_job.h"
#include "experiments/kinds/hurricane/hurricane_output.h"
#include "experiments/kinds/hurricane/stage_progress.h"
#include "experiments/run/mpi_pool.h"
#include "experiments/run/worker_pool.h"
#include "nas/train/trainer.h"
#include "simulator/error.h"
#include "experiments/run/run_lock.h"

namespace rp::hurricane {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Journal "stages" that hold the winner's retrained accuracies (training is deterministic; a rerun reuses them).
constexpr int kRetrainVal = 100, kRetrainTest = 101;

std::string ops_text(const HwSpace& s, const Arch& a) {
  std::string out;
  for (size_t i = 0; i < a.size(); ++i) out += (i ? " " : "") + s.layers[i].kept[static_cast<size_t>(a[i])].op;
  return out;
}

// Candidates' simulated latency (ImageNet scale, the experiment's batch), memoized.
class LatencyOf {
 public:
  LatencyOf(const HurricaneExperiment& e, const Choices& c, const accel::IAccelerator& acc) : e_(e), c_(c), acc_(acc) {}
  double operator()(const Arch& a) {
    const auto it = memo_.find(a);
    if (it != memo_.end()) return it->second;
    const accel::Evaluation ev = accel::evaluate(
        [&] { return imagenet_candidate(c_, a, e_.resolution, e_.batch, acc_.info().precision); }, acc_);
    return memo_[a] = ev.ok ? ev.result.latency_ms : kInf;
  }
  size_t simulations() const { return memo_.size(); }

 private:
  const HurricaneExperiment& e_;
  const Choices& c_;
  const accel::IAccelerator& acc_;
  std::map<Arch, double> memo_;
};

}  // namespace

HurricaneSummary run_hurricane(const HurricaneExperiment& e, const HurricaneRunOptions& o, std::ostream& log) {
  if (o.jobs < 1) throw UsageError("--jobs must be >= 1");
  const nas::FashionMnist data = nas::FashionMnist::load(o.dataset_dir);  // a missing install stops us first
  FitnessWorker worker(data);
  const auto job = [&worker](const std::string& request) { return worker(request); };
  if (o.ranks > 1 && o.rank > 0) {  // MPI: ranks other than 0 only score candidates
    nas::mpi_worker_loop(job);
    return {};
  }
  const traces::RunLock lock(e.output);  // one run per output, before removing or opening anything beside it
  const std::string journal_path = e.output + ".progress.jsonl";
  const auto ckpt = [&](int stage) { return e.output + ".stage" + std::to_string(stage) + ".ckpt"; };
  const auto weights = [&](int stage) { return e.output + ".stage" + std::to_string(stage) + ".weights"; };
  if (o.fresh) {
    for (const std::string& f : {journal_path, ckpt(1), ckpt(2), weights(1), weights(2), e.output,
                                 winner_yaml_path(e.output)}) {
      std::remove(f.c_str());
    }
  }

  // Forked before this process touches LibTorch or SystemC. Under MPI the other ranks score instead.
  std::unique_ptr<nas::WorkerPool> pool;
  std::unique_ptr<nas::MpiPool> mpi;
  if (o.ranks > 1) {
    mpi = std::make_unique<nas::MpiPool>(o.ranks);
  } else if (o.jobs > 1) {
    pool = std::make_unique<nas::WorkerPool>(o.jobs, job);
  }

  const accel::AcceleratorConfig cfg = accel::AcceleratorConfig::load(e.accelerator).with_text(e.set);
  const auto acc = cfg.build();
  traces::Skeleton sk = traces::default_skeleton(e.layers);
  sk.resolution = e.resolution;
  HurricaneOutcome out;
  out.accelerator_yaml = cfg.yaml();
  out.version = o.version;
  out.space = generate_space(e.space, sk, e.batch, acc->info().precision, [&](const traces::Network& n) {
    const accel::Evaluation ev = accel::evaluate(n, *acc);
    return ev.ok ? ev.result.latency_ms : kInf;
  });
  const HwSpace& space = out.space;
  const Choices choices = space.choices();
  char line[300];

  LatencyOf latency(e, choices, *acc);
  Arch fastest(choices.size(), 0);
  for (size_t i = 0; i < choices.size(); ++i) {
    const auto& kept = space.layers[i].kept;
    for (size_t j = 1; j < kept.size(); ++j) {
      if (kept[j].latency_ms < kept[static_cast<size_t>(fastest[i])].latency_ms) fastest[i] = static_cast<int>(j);
    }
  }
  const double fastest_ms = latency(fastest);
  if (!(fastest_ms <= e.latency_constraint_ms)) {
    std::snprintf(line, sizeof line, "%.6g ms is below the fastest architecture of the generated space on %s "
                  "(%.6g ms at batch %lld, every layer's fastest op): no architecture meets it",
                  e.latency_constraint_ms, e.accelerator.c_str(), fastest_ms, static_cast<long long>(e.batch));
    throw UsageError(e.file + ": latency_constraint_ms: " + line);
  }
  // Checked before anything is written beside the output: a constraint nothing meets leaves no journal behind.
  FitnessCache cache(journal_path, e.canonical());
  std::snprintf(line, sizeof line, "hurricane: space on %s batch %lld: %d layers, %.3g architectures; %lld op "
                "benchmarks in %.2f s; fastest architecture %.6g ms, limit %.6g ms\n", e.accelerator.c_str(),
                static_cast<long long>(e.batch), e.layers, space.size(), static_cast<long long>(space.benchmarks),
                space.seconds, fastest_ms, e.latency_constraint_ms);
  log << line;

  const SupernetSettings& s = e.supernet;
  Supernet net(supernet_spec(choices, s.width), s.seed);
  const int n = e.layers;
  const Arch a_win0 = space.top_choice();
  Arch current = a_win0;
  const int stages = e.t == 0 ? 1 : 2;
  const int64_t stage1_images = s.train_images * s.epochs;
  for (int stage = 1; stage <= stages; ++stage) {
    StageOutcome st;
    st.stage = stage;
    st.active.assign(static_cast<size_t>(n), 0);
    for (int i = 0; i < n; ++i) st.active[static_cast<size_t>(i)] = (stage == 1 ? i >= e.t : i < e.t) ? 1 : 0;
    SupernetTrainOptions to;
    to.images = stage == 1 ? stage1_images : std::llround(s.stage2_fraction * static_cast<double>(stage1_images));
    to.train_images = s.train_images;
    to.batch = s.batch;
    to.lr = s.lr;
    to.seed = s.seed + static_cast<uint64_t>(stage - 1);  // stage 2 draws other batches and paths
    to.threads = o.threads;
    to.active = st.active;
    to.fixed = current;
    to.checkpoint = ckpt(stage);
    StageProgress progress(log, "stage " + std::to_string(stage));
    if (to.images > 0) {
      const SupernetTrainStats ts = net.train(data, to, [&](int64_t d, int64_t t) { progress.training(d, t); });
      st.train_images = ts.images_done;
      st.train_seconds = ts.seconds;
      st.images_per_s = ts.images_per_s;
      progress.trained(ts.images_done, ts.resumed_from, ts.images_per_s);
    }
    net.save_weights(weights(stage));  // what the workers load

    EaProblem p;
    for (const auto& c : choices) p.choices.push_back(static_cast<int>(c.size()));
    p.active = st.active;
    p.frozen = current;
    p.latency_limit_ms = e.latency_constraint_ms;
    p.latency_ms = [&latency](const Arch& a) { return latency(a); };
    p.fitness = [&](const std::vector<Arch>& archs) {
      std::vector<double> fit(archs.size(), std::nan(""));
      std::vector<std::string> requests;
      std::vector<size_t> index;
      for (size_t i = 0; i < archs.size(); ++i) {
        if (const double* f = cache.find(stage, archs[i])) {
          fit[i] = *f;
          continue;
        }
        FitnessRequest r{weights(stage), choices, s.width, archs[i], s.val_images, s.bn_images};
        requests.push_back(r.encode());
        index.push_back(i);
      }
      const auto done = [&](size_t r, const std::string& text) {
        fit[index[r]] = std::stod(text);
        cache.record(stage, archs[index[r]], fit[index[r]]);
        ++st.scored_now;
      };
      if (mpi) {
        mpi->run(requests, done);
      } else if (pool) {
        pool->run(requests, done);
      } else {
        for (size_t r = 0; r < requests.size(); ++r) {
          done(r, exact_text(net.evaluate(archs[index[r]], data, s.val_images, s.bn_images, o.threads)));
        }
      }
      return fit;
    };
    p.on_generation = [&](int, int done, int total) { progress.generation(done, total, st.scored_now); };
    const auto t0 = std::chrono::steady_clock::now();
    progress.start_search();
    st.ea = evolve(p, e.search);
    st.search_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!st.ea.found) {
      throw UsageError(e.file + ": latency_constraint_ms: stage " + std::to_string(stage) + ": none of the " +
                       std::to_string(st.ea.candidates.size()) + " architectures drawn met " +
                       exact_text(e.latency_constraint_ms) + " ms (the fastest of the space: " +
                       exact_text(fastest_ms) + " ms); raise the constraint or search.population");
    }
    current = st.ea.best.arch;
    progress.searched(st.ea.candidates.size(), st.scored_now, st.search_seconds, st.ea.best.fitness,
                      st.ea.best.latency_ms, ops_text(space, current));
    out.stages.push_back(std::move(st));
  }

  // a_win0 scored with the final supernet's weights (fitness journal stage 0), then the stage winners.
  const auto report = [&](const std::string& label, const Arch& a, double accuracy) {
    Reported r;
    r.label = label;
    r.arch = a;
    r.latency_ms = latency(a);
    r.supernet_accuracy = accuracy;
    const traces::Network big = imagenet_candidate(choices, a, e.resolution, 1, acc->info().precision);
    r.macs = big.macs();
    r.params = big.params();
    return r;
  };
  const double* a0 = cache.find(0, a_win0);
  const double a0_acc = a0 ? *a0 : net.evaluate(a_win0, data, s.val_images, s.bn_images, o.threads);
  cache.record(0, a_win0, a0_acc);
  out.reported.push_back(report("a_win0", a_win0, a0_acc));
  for (const StageOutcome& st : out.stages) {
    out.reported.push_back(report("a_win" + std::to_string(st.stage), st.ea.best.arch, st.ea.best.fitness));
  }
  Reported& winner = out.reported.back();
  if (e.retrain.enabled) {
    const double* v = cache.find(kRetrainVal, winner.arch);
    const double* t = cache.find(kRetrainTest, winner.arch);
    if (v && t) {
      winner.retrain_val_accuracy = *v;
      winner.retrain_test_accuracy = *t;
    } else {
      nas::TrainOptions to;
      to.train_images = e.retrain.train_images;
      to.epochs = e.retrain.epochs;
      to.seed = e.retrain.seed;
      to.threads = o.threads;
      to.test = true;
      log << "hurricane: retraining the winner from scratch (" << to.train_images << " images x " << to.epochs
          << " epochs)\n";
      const nas::TrainResult tr = nas::train_proxy(proxy_candidate(choices, winner.arch, s.width), data, to);
      winner.retrain_val_accuracy = tr.val_accuracy;
      winner.retrain_test_accuracy = tr.test_accuracy;
      cache.record(kRetrainVal, winner.arch, tr.val_accuracy);
      cache.record(kRetrainTest, winner.arch, tr.test_accuracy);
    }
  }
  write_winner_yaml(e, out);
  write_hurricane_h5(e, out);
  std::snprintf(line, sizeof line, "hurricane: winner %s: %.6g ms (limit %.6g ms; a_win0 %.6g ms), supernet accuracy "
                "%.4f", winner.label.c_str(), winner.latency_ms, e.latency_constraint_ms,
                out.reported.front().latency_ms, winner.supernet_accuracy);
  log << line;
  if (e.retrain.enabled) {
    std::snprintf(line, sizeof line, ", retrained val %.4f test %.4f", winner.retrain_val_accuracy,
                  winner.retrain_test_accuracy);
    log << line;
  }
  log << "\nhurricane: " << ops_text(space, winner.arch) << "\nhurricane: wrote " << e.output << ", "
      << winner_yaml_path(e.output) << " (" << latency.simulations() << " candidate simulations)\n";
  HurricaneSummary sum;
  sum.complete = true;
  sum.winner_latency_ms = winner.latency_ms;
  sum.winner_accuracy = winner.supernet_accuracy;
  sum.winner_yaml = winner_yaml_path(e.output);
  return sum;
}

}  // namespace rp::hurricane
