// Configuration and sweep speed: building an accelerator with one override, and sweep points per second through
// the experiment runner (journal and HDF5 output included). Run: build/tests/benchmarks/rp_bench.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "accel_models/config/accelerator_config.h"
#include "experiments/kinds/kind.h"

namespace {

// The config is read once; each iteration applies one typed override and builds (what sweeps and calibration do).
void build_accelerator_with_override(benchmark::State& state) {
  double peak = 0;
  const rp::accel::AcceleratorConfig base = rp::accel::AcceleratorConfig::load("tpuv3");
  for (auto _ : state) {
    const auto acc = base.with({{"hbm.bandwidth_gbps", 600.0}}).build();
    benchmark::DoNotOptimize(acc.get());
    peak = acc->info().hbm_bandwidth;
  }
  char label[64];
  std::snprintf(label, sizeof label, "HBM %.0f GB/s", peak / 1e9);
  state.SetLabel(label);
}

// A 16-point sweep of mnasnet-a1 at batch 8 on TPUv3 over HBM bandwidth, serial, fresh each iteration.
void sweep_points(benchmark::State& state) {
  const std::string dir = "/tmp/rp_bench_sweep";
  if (std::system(("mkdir -p " + dir).c_str()) != 0) state.SkipWithError("cannot create /tmp/rp_bench_sweep");
  const std::string yaml = dir + "/sweep.yaml";
  {
    std::ofstream f(yaml);
    f << "kind: sweep\nmodels: [mnasnet-a1]\naccelerators: [tpuv3]\nbatch: 8\noutput: " << dir << "/sweep.h5\n"
      << "grid:\n  hbm.bandwidth_gbps: [";
    for (int i = 0; i < 16; ++i) f << (i ? ", " : "") << 300 + 50 * i;
    f << "]\n";
  }
  rp::run::RunRequest r;
  r.file = yaml;
  r.fresh = true;
  r.version = "bench";
  int64_t points = 0;
  for (auto _ : state) {
    std::ostringstream log;
    rp::run::RunSummary s;
    rp::kinds::run_experiment(r, log, &s);
    points += s.computed;
  }
  state.SetItemsProcessed(points);
  state.SetLabel("16 points per iteration; items/s = points/s");
}

}  // namespace

BENCHMARK(build_accelerator_with_override)->Unit(benchmark::kMicrosecond);
BENCHMARK(sweep_points)->Unit(benchmark::kMillisecond);
