// Simulation speed: one full simulate() (lowering + SystemC run + aggregation) of a network at batch 128.
// Run: build/tests/benchmarks/rp_bench (prints wall and CPU time per simulation).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "traces/zoo/zoo.h"

namespace {

void simulate_model(benchmark::State& state, const char* model, const char* accelerator) {
  const auto acc = rp::accel::make_accelerator(accelerator);
  rp::traces::BuildOptions o;
  o.batch = 128;
  o.dtype = acc->info().precision;
  const rp::traces::Network net = rp::traces::build_model(model, o);
  double latency = 0, tasks = 0;
  for (auto _ : state) {
    const rp::sim::SimResult r = rp::accel::simulate(net, *acc);
    // `r` is const, so this is the input-only overload: DoNotOptimize on a mutable double (constraint "+m,r") is
    // miscompiled by GCC 12 at -O3 with Debian's benchmark 1.7.1 and leaves garbage in it.
    benchmark::DoNotOptimize(r);
    latency = r.latency_ms;
    tasks = static_cast<double>(r.tasks);
  }
  char label[96];
  std::snprintf(label, sizeof label, "simulated %.3f ms, %.0f tasks", latency, tasks);
  state.SetLabel(label);
}

}  // namespace

BENCHMARK_CAPTURE(simulate_model, efficientnet_b0_tpuv3, "efficientnet-b0", "tpuv3")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(simulate_model, efficientnet_x_b0_tpuv3, "efficientnet-x-b0", "tpuv3")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(simulate_model, resnet_50_tpuv3, "resnet-50", "tpuv3")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(simulate_model, efficientnet_b7_tpuv3, "efficientnet-b7", "tpuv3")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(simulate_model, efficientnet_b0_v100, "efficientnet-b0", "v100")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(simulate_model, efficientnet_b7_v100, "efficientnet-b7", "v100")->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
