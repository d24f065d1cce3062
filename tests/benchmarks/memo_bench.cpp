// The evaluator's group memo (accel_models/group_memo.h): the NAS latency oracle's candidates per minute cold
// (group memo off: every candidate simulated whole) and warm (memo on, after 3,000 candidates), on 1 process and on
// 2 forked processes at once, with the CPU time per candidate (on a shared machine the rate per CPU minute is what
// an idle core gives), the memo's hit rate, one EfficientNet-B0 evaluation with a cold cache (memo on, first call)
// beside the full simulation, and the resident memory before and after 10^6 memoized evaluations.
// Run: build/tests/benchmarks/rp_bench --benchmark_filter=memo_oracle (about 1 minute), memo_rss (10^6 evaluations),
// b0_cold (only the cold-cache lines: a few seconds)
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>

#include "accel_models/evaluate.h"
#include "accel_models/simulate.h"
#include "nas/controller/controller.h"
#include "nas/search/nas_search.h"
#include "nas/space/arch_network.h"
#include "traces/zoo/zoo.h"

namespace {

using Clock = std::chrono::steady_clock;
using rp::accel::Evaluator;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU seconds this process has used: on a shared machine the rate per CPU minute is what an idle core would give.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

long rss_kib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

struct Rate {
  double per_min = 0, per_cpu_min = 0, hit_rate = 0;
  int64_t n = 0;
};

// Random EfficientNet-X candidates (distinct architectures: the outcome memo never hits) through one Evaluator
// on `accelerator` at batch 128 for `seconds`, after `warmup` candidates (not timed).
Rate oracle(const char* accelerator, bool group_memo, double seconds, int warmup, uint64_t seed) {
  const auto& space = rp::nas::search_space("efficientnet-x");
  const auto acc = rp::accel::AcceleratorConfig::load(accelerator).build();
  Evaluator ev(acc, Evaluator::kDefaultCapacity, group_memo);
  const auto random = rp::nas::make_random_search(rp::nas::decision_sizes(space), seed);
  for (int i = 0; i < warmup; ++i) rp::nas::evaluate_arch(ev, space, random->propose(1)[0], 224, 128);
  const auto* m = ev.group_memo();
  const int64_t h0 = m ? m->counts().group_hits : 0, x0 = m ? m->counts().group_misses : 0;
  Rate r;
  const auto t0 = Clock::now();
  const double c0 = cpu_seconds();
  while (since(t0) < seconds) {
    rp::nas::evaluate_arch(ev, space, random->propose(1)[0], 224, 128);
    ++r.n;
  }
  r.per_min = 60.0 * static_cast<double>(r.n) / since(t0);
  r.per_cpu_min = 60.0 * static_cast<double>(r.n) / (cpu_seconds() - c0);
  if (m) {
    const double h = static_cast<double>(m->counts().group_hits - h0),
                 x = static_cast<double>(m->counts().group_misses - x0);
    r.hit_rate = h + x > 0 ? h / (h + x) : 0;
  }
  return r;
}

// The same in two forked processes at once: their wall rates summed, and their rates per CPU minute summed.
struct Rate2 {
  double per_min = 0, per_cpu_min = 0;
};
Rate2 two_processes(const char* accelerator, bool group_memo, double seconds, int warmup) {
  int fds[2][2];
  pid_t pids[2];
  for (int w = 0; w < 2; ++w) {
    if (pipe(fds[w]) != 0) return {-1, -1};
    pids[w] = fork();
    if (pids[w] == 0) {
      const Rate r = oracle(accelerator, group_memo, seconds, warmup, 100 + static_cast<uint64_t>(w));
      const double v[2] = {r.per_min, r.per_cpu_min};
      const bool ok = write(fds[w][1], v, sizeof v) == static_cast<ssize_t>(sizeof v);
      _exit(ok ? 0 : 1);
    }
    close(fds[w][1]);
  }
  Rate2 sum;
  for (int w = 0; w < 2; ++w) {
    double v[2] = {0, 0};
    if (read(fds[w][0], v, sizeof v) == static_cast<ssize_t>(sizeof v)) {
      sum.per_min += v[0];
      sum.per_cpu_min += v[1];
    }
    close(fds[w][0]);
    waitpid(pids[w], nullptr, 0);
  }
  return sum;
}

// Milliseconds (wall, and CPU: what an idle core takes) per EfficientNet-B0 (batch 128) evaluation with a cold
// cache: a fresh Evaluator per call; the best of 3 repetitions of n.
struct Ms {
  double wall = 1e9, cpu = 1e9;
};
Ms b0_cold_ms(const char* accelerator, bool group_memo, int n) {
  const auto acc = rp::accel::AcceleratorConfig::load(accelerator).build();
  rp::traces::BuildOptions o;
  o.batch = 128;
  o.dtype = acc->info().precision;
  const rp::traces::Network net = rp::traces::build_model("efficientnet-b0", o);
  Ms best;
  for (int rep = 0; rep < 3; ++rep) {
    const auto t0 = Clock::now();
    const double c0 = cpu_seconds();
    for (int i = 0; i < n; ++i) {
      Evaluator ev(acc, 1, group_memo);
      benchmark::DoNotOptimize(ev("b0", [&] { return net; }).latency_ms);
    }
    best.wall = std::min(best.wall, 1e3 * since(t0) / n);
    best.cpu = std::min(best.cpu, 1e3 * (cpu_seconds() - c0) / n);
  }
  return best;
}

void print_b0_cold() {
  for (const char* a : {"tpuv3", "v100"}) {
    const Ms off = b0_cold_ms(a, false, 100), on = b0_cold_ms(a, true, 100);
    std::printf(
        "%-6s efficientnet-b0 cold cache: %.3f ms with the group memo (CPU %.3f ms), %.3f ms without (full "
        "run; CPU %.3f ms)\n",
        a, on.wall, on.cpu, off.wall, off.cpu);
  }
  std::fflush(stdout);
}

void memo_oracle(benchmark::State& state) {
  for (auto _ : state) {
    std::printf("\nNAS latency oracle, random efficientnet-x candidates at batch 128 (machine shared: ratios count)\n");
    for (const char* a : {"tpuv3", "v100"}) {
      const Rate cold = oracle(a, false, 3.0, 0, 1);
      const Rate warm = oracle(a, true, 3.0, 3000, 1);
      std::printf("%-6s 1 process: cold %9.0f /min, warm %9.0f /min (%.1fx), group hit rate %.4f\n", a, cold.per_min,
                  warm.per_min, warm.per_min / cold.per_min, warm.hit_rate);
      std::printf(
          "%-6s per CPU minute: cold %9.0f, warm %9.0f (CPU us per candidate: cold %.1f, warm %.1f; "
          "2 idle cores: twice these rates)\n",
          a, cold.per_cpu_min, warm.per_cpu_min, 6e7 / cold.per_cpu_min, 6e7 / warm.per_cpu_min);
      const Rate2 cold2 = two_processes(a, false, 3.0, 0), warm2 = two_processes(a, true, 3.0, 3000);
      std::printf(
          "%-6s 2 processes: cold %9.0f /min, warm %9.0f /min (%.1fx); per CPU minute summed: cold %9.0f, "
          "warm %9.0f\n",
          a, cold2.per_min, warm2.per_min, warm2.per_min / cold2.per_min, cold2.per_cpu_min, warm2.per_cpu_min);
    }
    print_b0_cold();
  }
}

// Only the cold-cache lines of memo_oracle (seconds, not a minute): to compare builds.
void b0_cold(benchmark::State& state) {
  for (auto _ : state) print_b0_cold();
}

void memo_rss(benchmark::State& state) {
  for (auto _ : state) {
    const auto& space = rp::nas::search_space("efficientnet-x");
    const auto acc = rp::accel::AcceleratorConfig::load("tpuv3").build();
    Evaluator ev(acc);
    const auto random = rp::nas::make_random_search(rp::nas::decision_sizes(space), 3);
    for (int i = 0; i < 3000; ++i) rp::nas::evaluate_arch(ev, space, random->propose(1)[0], 224, 128);
    const long before = rss_kib();
    const auto t0 = Clock::now();
    for (int i = 0; i < 1000000; ++i) rp::nas::evaluate_arch(ev, space, random->propose(1)[0], 224, 128);
    std::printf(
        "RSS over 10^6 memoized evaluations (tpuv3): %ld KiB before, %ld KiB after (%.0f s; %zu outcomes, "
        "%zu group records held)\n",
        before, rss_kib(), since(t0), ev.size(), ev.group_memo()->size());
    std::fflush(stdout);
  }
}

}  // namespace

BENCHMARK(memo_oracle)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(b0_cold)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(memo_rss)->Unit(benchmark::kSecond)->Iterations(1);
