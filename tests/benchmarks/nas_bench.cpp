// NAS speed: latency-oracle evaluations per minute (the simulator in the loop, no training) and full candidates
// per minute (oracle + proxy training at the defaults: 10K Fashion-MNIST images, one epoch, one thread).
// Run: build/tests/benchmarks/rp_bench --benchmark_filter=nas
#include <benchmark/benchmark.h>

#include <cstdio>

#include "accel_models/evaluate.h"
#include "nas/controller/controller.h"
#include "nas/search/nas_search.h"
#include "nas/space/proxy_network.h"
#include "nas/train/trainer.h"

namespace {

using namespace rp::nas;

// Random efficientnet-x architectures (distinct: the memo never hits) simulated on TPUv3 at batch 128.
void nas_latency_oracle(benchmark::State& state) {
  const SearchSpace& space = search_space("efficientnet-x");
  const auto acc = rp::accel::AcceleratorConfig::load("tpuv3").build();
  rp::accel::Evaluator oracle(acc);
  const auto random = make_random_search(decision_sizes(space), 1);
  int64_t n = 0, feasible = 0;
  for (auto _ : state) {
    feasible += evaluate_arch(oracle, space, random->propose(1)[0], 224, 128).ok;
    ++n;
  }
  state.SetItemsProcessed(n);
  state.counters["evaluations_per_min"] =
      benchmark::Counter(60.0 * static_cast<double>(n), benchmark::Counter::kIsRate);
  char label[80];
  std::snprintf(label, sizeof label, "%lld simulations, %lld feasible", static_cast<long long>(oracle.simulations()),
                static_cast<long long>(feasible));
  state.SetLabel(label);
}

// One full candidate: simulate it and train its proxy at the defaults (~35-40 s per iteration on one core).
void nas_full_candidate(benchmark::State& state) {
  const SearchSpace& space = search_space("efficientnet-x");
  const auto acc = rp::accel::AcceleratorConfig::load("tpuv3").build();
  rp::accel::Evaluator oracle(acc);
  const rp::traces::FashionMnist data = rp::traces::FashionMnist::load();
  const auto random = make_random_search(decision_sizes(space), 2);
  int64_t n = 0;
  double acc_sum = 0, ips = 0;
  for (auto _ : state) {
    const Choices c = random->propose(1)[0];
    benchmark::DoNotOptimize(evaluate_arch(oracle, space, c, 224, 128).latency_ms);
    const TrainResult r = train_proxy(proxy_network(space, c), data, TrainOptions{});
    acc_sum += r.val_accuracy;
    ips += r.images_per_s;
    ++n;
  }
  state.counters["candidates_per_min"] = benchmark::Counter(60.0 * static_cast<double>(n), benchmark::Counter::kIsRate);
  char label[80];
  std::snprintf(label, sizeof label, "mean accuracy %.3f, %.0f training images/s", acc_sum / n, ips / n);
  state.SetLabel(label);
}

}  // namespace

BENCHMARK(nas_latency_oracle)->Unit(benchmark::kMillisecond)->MinTime(5.0);
BENCHMARK(nas_full_candidate)->Unit(benchmark::kSecond)->Iterations(3);
