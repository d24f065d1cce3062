#include "experiments/kinds/nas/nas_runner.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>

#include "accel_models/evaluate.h"
#include "nas/controller/controller.h"
#include "nas/reward/latency_oracle.h"
#include "experiments/run/mpi_pool.h"
#include "experiments/kinds/nas/nas_output.h"
#include "experiments/kinds/nas/nas_progress.h"
#include "experiments/kinds/nas/sample_journal.h"
#include "experiments/run/worker_pool.h"
#include "nas/space/proxy_network.h"
#include "nas/train/trainer.h"
#include "simulator/error.h"
#include "experiments/run/run_lock.h"
#include "traces/zoo/zoo.h"

namespace rp::nas {
namespace {

// Zoo models marked on the latency-accuracy plot (their latency on the search's accelerator, batch, resolution).
const std::vector<std::string> kReferences = {"efficientnet-b0", "efficientnet-x-b0", "efficientnet-x-b0-relu",
                                              "mnasnet-a1", "mobilenet-v2"};

std::vector<Reference> references(const NasExperiment& e, const accel::IAccelerator& acc) {
  std::vector<Reference> out;
  for (const auto& name : kReferences) {
    traces::BuildOptions b;
    b.batch = e.batch;
    b.resolution = e.resolution;
    b.dtype = acc.info().precision;
    Reference r{name, std::numeric_limits<double>::quiet_NaN(), 0, 0};
    const accel::Evaluation ev = accel::evaluate(
        [&] {
          traces::Network n = traces::build_model(name, b);
          r.macs = n.macs() / e.batch;
          r.params = n.params();
          return n;
        },
        acc);
    if (ev.ok) r.latency_ms = ev.result.latency_ms;
    out.push_back(r);
  }
  return out;
}

// Trains one architecture's proxy; the reply of a worker is the accuracy with full precision.
double train_arch(const SearchSpace& space, const std::string& arch, const FashionMnist& data,
                  const TrainOptions& t, double width) {
  ProxyOptions p;
  p.width = width;
  return train_proxy(proxy_network(space, space.parse(arch), p), data, t).val_accuracy;
}

std::string exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

NasSummary run_nas(const NasExperiment& e, const NasRunOptions& o, std::ostream& log) {
  if (o.jobs < 1) throw UsageError("--jobs must be >= 1");
  const SearchSpace& space = search_space(e.space);
  const FashionMnist data = FashionMnist::load(o.dataset_dir);  // a missing install stops us before any work
  TrainOptions t;
  t.train_images = e.train_images;
  t.epochs = e.epochs;
  t.seed = e.accuracy_seed;
  t.threads = o.threads;
  const auto job = [&](const std::string& arch) { return exact(train_arch(space, arch, data, t, o.proxy_width)); };
  if (o.ranks > 1 && o.rank > 0) {  // MPI: ranks other than 0 only train
    mpi_worker_loop(job);
    return {};
  }

  const std::string journal_path = e.output + ".progress.jsonl";
  const traces::RunLock lock(e.output);  // one run per output, before removing or opening anything beside it
  if (o.fresh) {
    std::remove(journal_path.c_str());
    std::remove(e.output.c_str());
  }
  const SampleJournal journal(journal_path, e.canonical());
  std::map<int64_t, Sample> done = journal.read();

  // Forked before this process touches LibTorch or SystemC. Under MPI the other ranks train instead.
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<MpiPool> mpi;
  if (o.ranks > 1) {
    mpi = std::make_unique<MpiPool>(o.ranks);
  } else if (o.jobs > 1) {
    pool = std::make_unique<WorkerPool>(o.jobs, job);
  }

  const accel::AcceleratorConfig cfg = accel::AcceleratorConfig::load(e.accelerator).with_text(e.set);
  const auto acc = cfg.build();
  LatencyOracle oracle(space, acc, e.resolution, e.batch);
  ControllerOptions co;
  co.seed = e.search_seed;
  const auto controller = make_controller(e.method, decision_sizes(space), co);

  NasSummary sum;
  sum.total = e.samples;
  for (const auto& [step, s] : done) {
    if (step < e.samples) ++sum.resumed;
  }
  log << "nas: space " << space.name << " (" << space.decisions.size() << " decisions, " << space.size()
      << " architectures), " << e.method << " search, " << e.samples << " samples on " << e.accelerator << " batch "
      << e.batch << ", reward " << e.reward.describe() << "\n";
  if (sum.resumed > 0) {
    log << "nas: resuming: " << sum.resumed << " of " << e.samples << " samples already done, "
        << e.samples - sum.resumed << " to do\n";
  }

  std::map<std::string, double> known;  // architecture -> proxy accuracy (training is deterministic)
  for (const auto& [step, s] : done) {
    if (s.feasible) known[s.arch] = s.accuracy;
  }
  std::vector<Sample> table;
  NasProgress progress(log, e.samples, sum.resumed);
  int64_t fresh_count = 0;
  bool stopped = false;
  for (int64_t first = 0; first < e.samples && !stopped; first += co.round) {
    const int n = static_cast<int>(std::min<int64_t>(co.round, e.samples - first));
    const std::vector<Choices> archs = controller->propose(n);
    std::vector<Sample> round(static_cast<size_t>(n));
    std::vector<size_t> to_train;
    for (int i = 0; i < n; ++i) {
      Sample& s = round[static_cast<size_t>(i)];
      s.step = first + i;
      s.arch = space.canonical(archs[static_cast<size_t>(i)]);
      const auto it = done.find(s.step);
      if (it != done.end()) {
        if (it->second.arch != s.arch) {
          throw UsageError(journal_path + ": step " + std::to_string(s.step) + " recorded " + it->second.arch +
                           " but the controller proposes " + s.arch + " (journal of another build?); use --fresh");
        }
        s = it->second;
        continue;
      }
      if (o.max_samples >= 0 && fresh_count >= o.max_samples) {
        stopped = true;
        break;
      }
      ++fresh_count;
      const Latency& lat = oracle(archs[static_cast<size_t>(i)]);
      s.macs = lat.macs;
      s.params = lat.params;
      if (!lat.ok) {
        s.feasible = false;
        s.reason = lat.reason;
        s.reward = RewardSpec::kInfeasible;
        ++sum.infeasible;
        journal.append(s);
        progress.sample_done(s);
        continue;
      }
      s.latency_ms = lat.latency_ms;
      to_train.push_back(static_cast<size_t>(i));
    }
    // Train what is new (each distinct architecture once), reuse what is known.
    std::vector<std::string> requests;
    std::map<std::string, size_t> request_of;
    for (size_t i : to_train) {
      if (!known.count(round[i].arch) && !request_of.count(round[i].arch)) {
        request_of[round[i].arch] = requests.size();
        requests.push_back(round[i].arch);
      }
    }
    auto finish = [&](const std::string& arch, double accuracy, bool trained) {
      known[arch] = accuracy;
      for (size_t i : to_train) {
        Sample& s = round[i];
        if (s.arch != arch) continue;
        s.accuracy = accuracy;
        s.reward = e.reward(accuracy, s.latency_ms);
        s.trained_now = trained;
        trained = false;  // a repeat within the round reuses it
        if (s.trained_now) ++sum.trained; else ++sum.reused;
        journal.append(s);
        progress.sample_done(s);
      }
    };
    for (size_t i : to_train) {  // repeats of architectures trained earlier
      const auto k = known.find(round[i].arch);
      if (k != known.end() && !request_of.count(round[i].arch)) {
        round[i].accuracy = k->second;
        round[i].reward = e.reward(k->second, round[i].latency_ms);
        ++sum.reused;
        journal.append(round[i]);
        progress.sample_done(round[i]);
      }
    }
    const auto reply = [&](size_t r, const std::string& text) { finish(requests[r], std::stod(text), true); };
    if (mpi) {
      mpi->run(requests, reply);
    } else if (pool) {
      pool->run(requests, reply);
    } else {
      for (const auto& arch : requests) finish(arch, train_arch(space, arch, data, t, o.proxy_width), true);
    }
    if (stopped) break;
    std::vector<double> rewards;
    for (const Sample& s : round) rewards.push_back(s.reward);
    controller->feedback(archs, rewards);
    for (Sample& s : round) {
      done[s.step] = s;
      table.push_back(s);
    }
  }
  progress.finish();
  if (stopped) {
    log << "nas: stopped with " << sum.resumed + fresh_count << " of " << e.samples
        << " samples done; run again to continue\n";
    return sum;
  }
  sum.complete = true;
  const NasOutputMeta meta{e, space, cfg.yaml(), o.version};
  // The best-architecture YAMLs first, the table last: an output file means the run finished.
  sum.best_files = write_best_networks(meta, table);
  write_nas_h5(e.output, meta, table, references(e, *acc));
  const Sample* best = nullptr;
  for (const Sample& s : table) {
    if (s.feasible && (!best || s.reward > best->reward)) best = &s;
  }
  log << "nas: done: " << e.samples << " samples (" << sum.trained << " trained now, " << sum.resumed
      << " resumed, " << sum.reused << " repeats reused, " << sum.infeasible << " infeasible); " << oracle.simulations()
      << " simulations\n";
  if (best) {
    log << "nas: best reward " << best->reward << " at step " << best->step << ": latency " << best->latency_ms
        << " ms, accuracy " << best->accuracy << ", " << best->arch << "\n";
  }
  log << "nas: wrote " << e.output;
  for (const auto& f : sum.best_files) log << ", " << f;
  log << "\n";
  return sum;
}

}  // namespace rp::nas
