#include "experiments/kinds/sweep/runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <thread>

#include "accel_models/evaluate.h"
#include "experiments/run/interrupt.h"
#include "experiments/kinds/sweep/journal.h"
#include "experiments/kinds/sweep/points_h5.h"
#include "experiments/run/progress.h"
#include "experiments/run/worker_process.h"
#include "simulator/error.h"
#include "simulator/result_schema.h"
#include "experiments/run/run_lock.h"
#include "traces/zoo/zoo.h"

namespace rp::run {
namespace {

// Networks of a worker, built once per (model, batch, precision).
class NetworkCache {
 public:
  const traces::Network& get(const std::string& model, const traces::BuildOptions& o) {
    const std::string key = model + "|" + std::to_string(o.batch) + "|" + std::to_string(o.resolution) + "|" +
                            traces::dtype_name(o.dtype);
    auto it = nets_.find(key);
    if (it == nets_.end()) it = nets_.emplace(key, traces::build_model(model, o)).first;
    return it->second;
  }

 private:
  std::map<std::string, traces::Network> nets_;
};

Row simulate_point(const Experiment& e, const Point& p, NetworkCache& nets) {
  Row r;
  r.point = p.index;
  r.accelerator = p.accelerator;
  r.model = p.model;
  r.values = p.values;
  const auto acc = e.configs[p.accelerator_index].with(p.typed).build();  // validated when the experiment loaded
  traces::BuildOptions o;
  o.batch = p.batch > 0 ? p.batch : (e.batch > 0 ? e.batch : acc->info().default_batch);
  o.resolution = p.resolution;
  o.dtype = acc->info().precision;
  // An infeasible point (a layer that does not fit, a network that cannot be built) is a result, not a crash.
  const accel::Evaluation ev = accel::evaluate([&] { return nets.get(p.model, o); }, *acc);
  if (!ev.ok) {
    r.status = ev.reason;
    return r;
  }
  for (const auto& f : sim::result_fields()) {
    if (f.in_sweeps) r.figures.push_back(f.get(ev.result));
  }
  for (const auto& u : ev.result.units) r.busy.emplace_back(u.name, u.busy_fraction);
  return r;
}

// Simulates todo[i] for i % workers == worker; calls `after` with the count done so far.
int64_t work(const Experiment& e, const std::vector<Point>& todo, int workers, int worker, const Journal& j,
             const std::function<void(int64_t)>& after) {
  int64_t n = 0;
  NetworkCache nets;
  for (size_t i = static_cast<size_t>(worker); i < todo.size(); i += static_cast<size_t>(workers)) {
    if (interrupted()) break;
    j.append(simulate_point(e, todo[i], nets));
    after(++n);
  }
  return n;
}

int64_t lines_in(const std::string& path) {
  std::ifstream in(path);
  int64_t n = 0;
  std::string line;
  while (std::getline(in, line)) ++n;
  return n;
}

// Forks `jobs` workers; shows progress from the journal's growth; returns the points they added.
int64_t work_forked(const Experiment& e, const std::vector<Point>& todo, int jobs, const Journal& j, Progress& bar) {
  const int64_t before = lines_in(j.path());
  std::vector<pid_t> kids;
  for (int w = 0; w < jobs; ++w) {
    const pid_t pid = fork_worker();  // dies with this process, even on kill -9
    if (pid == 0) {
      int code = 0;
      try {
        work(e, todo, jobs, w, j, [](int64_t) {});
      } catch (const std::exception& ex) {
        std::fprintf(stderr, "ridgepoint: worker %d failed: %s\n", w, ex.what());
        code = 1;
      }
      std::fflush(nullptr);
      ::_exit(code);  // a forked worker must not run the parent's destructors
    }
    kids.push_back(pid);
  }
  bool failed = false, signalled = false;
  size_t running = kids.size();
  while (running > 0) {
    for (auto& pid : kids) {
      int status = 0;
      if (pid > 0 && ::waitpid(pid, &status, WNOHANG) == pid) {
        failed = failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
        pid = -1;
        --running;
      }
    }
    if (interrupted() && !signalled) {
      for (pid_t pid : kids) {
        if (pid > 0) ::kill(pid, SIGINT);
      }
      signalled = true;
    }
    bar.update(lines_in(j.path()) - before);
    if (running > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (failed && !interrupted()) throw SimulationError("a worker process failed (see the line above)");
  return lines_in(j.path()) - before;
}

}  // namespace

RunSummary run_experiment(const Experiment& e, const RunOptions& o, std::ostream& log) {
  const std::string journal_path = e.output + ".progress.jsonl";
  // One run per output: rank 0 locks it (the other ranks work under its lock) before removing or opening anything.
  std::unique_ptr<traces::RunLock> lock;
  if (o.rank == 0) lock = std::make_unique<traces::RunLock>(e.output);
  if (o.fresh && o.rank == 0) {
    std::remove(journal_path.c_str());
    std::remove(e.output.c_str());
  }
  o.barrier();
  std::unique_ptr<Journal> j;
  if (o.rank == 0) j = std::make_unique<Journal>(journal_path, e.canonical);  // creates the header once
  o.barrier();
  if (o.rank != 0) j = std::make_unique<Journal>(journal_path, e.canonical);

  const std::vector<Point> all = e.points();
  const auto done = j->read();
  std::vector<Point> todo;
  for (const auto& p : all) {
    if (!done.count(p.index)) todo.push_back(p);
  }
  if (o.max_points >= 0 && static_cast<int64_t>(todo.size()) > o.max_points) todo.resize(static_cast<size_t>(o.max_points));
  o.barrier();  // every rank has read the same journal before anyone appends

  RunSummary s;
  s.total = static_cast<int64_t>(all.size());
  s.done_before = static_cast<int64_t>(done.size());
  if (o.rank == 0 && s.done_before > 0) {
    log << "resuming: " << s.done_before << " of " << s.total << " points already done, " << todo.size()
        << " to compute\n";
  }
  Progress bar(log, s.total, s.done_before, is_terminal(2));
  if (o.ranks > 1) {
    s.computed = work(e, todo, o.ranks, o.rank, *j, [&](int64_t n) {
      if (o.rank == 0) bar.update(n * o.ranks);
    });
  } else if (o.jobs > 1 && todo.size() > 1) {
    s.computed = work_forked(e, todo, o.jobs, *j, bar);
  } else {
    s.computed = work(e, todo, 1, 0, *j, [&](int64_t n) { bar.update(n); });
  }
  bar.finish();
  o.barrier();
  if (o.rank != 0) return s;

  const auto rows = j->read();
  s.complete = static_cast<int64_t>(rows.size()) == s.total;
  if (s.complete) {
    write_points_h5(e.output, e, rows, o.version);
    log << "wrote " << e.output << ": " << rows.size() << " rows (" << rows.size() - s.done_before
        << " computed now, " << s.done_before << " resumed)\n";
  } else {
    log << "stopped with " << rows.size() << " of " << s.total << " points done (progress kept in " << journal_path
        << "); run the same command again to resume\n";
  }
  return s;
}

}  // namespace rp::run
