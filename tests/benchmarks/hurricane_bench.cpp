// HURRICANE speed: space generation per accelerator (32 ops x 20 layers benchmarked on the simulator), supernet
// training images/s (the 20-layer generated V100 space at proxy scale, one thread), and candidates scored per
// minute (latency simulation + the supernet's BN-recalibrated fitness at 1000 + 2000 images).
// Run: build/tests/benchmarks/rp_bench --benchmark_filter=hurricane
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "accel_models/config/accelerator_config.h"
#include "accel_models/evaluate.h"
#include "nas/hurricane/candidates.h"
#include "nas/hurricane/space/space_gen.h"

namespace {

using namespace rp;

hurricane::HwSpace space_on(const std::string& accel) {
  const auto acc = accel::AcceleratorConfig::load(accel).build();
  return hurricane::generate_space({}, traces::default_skeleton(20), acc->info().default_batch, acc->info().precision,
                                   [&](const traces::Network& n) {
                                     const accel::Evaluation ev = accel::evaluate(n, *acc);
                                     return ev.ok ? ev.result.latency_ms : INFINITY;
                                   });
}

void hurricane_space_generation(benchmark::State& state, const char* accel) {
  double benchmarks = 0;
  for (auto _ : state) benchmarks = static_cast<double>(space_on(accel).benchmarks);
  state.counters["op_benchmarks"] = benchmarks;
}
BENCHMARK_CAPTURE(hurricane_space_generation, tpuv3, "tpuv3")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(hurricane_space_generation, v100, "v100")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(hurricane_space_generation, tpuv4, "tpuv4")->Unit(benchmark::kMillisecond);

void hurricane_supernet_training(benchmark::State& state) {
  const hurricane::Choices choices = space_on("v100").choices();
  const traces::FashionMnist data = traces::FashionMnist::load();
  hurricane::Supernet net(hurricane::supernet_spec(choices, 0.25), 1);
  double ips = 0;
  int64_t done = 0;
  for (auto _ : state) {
    hurricane::SupernetTrainOptions o;
    done += 1024;
    o.images = done;
    o.train_images = 10000;
    ips = net.train(data, o).images_per_s;
  }
  state.counters["images_per_s"] = ips;
}
BENCHMARK(hurricane_supernet_training)->Unit(benchmark::kSecond)->Iterations(3);

void hurricane_candidate(benchmark::State& state) {
  const auto acc = accel::AcceleratorConfig::load("v100").build();
  const hurricane::Choices choices = space_on("v100").choices();
  const traces::FashionMnist data = traces::FashionMnist::load();
  hurricane::Supernet net(hurricane::supernet_spec(choices, 0.25), 1);
  std::mt19937_64 rng(1);
  int64_t n = 0;
  for (auto _ : state) {
    hurricane::Arch a;
    for (const auto& c : choices) a.push_back(static_cast<int>(rng() % c.size()));
    benchmark::DoNotOptimize(
        accel::evaluate(hurricane::imagenet_candidate(choices, a, 224, 128, acc->info().precision), *acc)
            .result.latency_ms);
    benchmark::DoNotOptimize(net.evaluate(a, data, 2000, 1000));
    ++n;
  }
  state.counters["candidates_per_min"] = benchmark::Counter(60.0 * static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(hurricane_candidate)->Unit(benchmark::kSecond)->Iterations(10);

}  // namespace
