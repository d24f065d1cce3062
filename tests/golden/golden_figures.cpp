#include "tests/golden/golden_figures.h"

#include <cstdio>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "traces/zoo/zoo.h"

namespace rp::golden {
namespace {

std::string exact(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

std::vector<std::string> figures(const std::string& accelerator) {
  const auto acc = accel::make_accelerator(accelerator);
  traces::BuildOptions o;
  o.batch = acc->info().default_batch;
  o.dtype = acc->info().precision;
  std::vector<std::string> out;
  for (const auto& name : kGoldenNetworks) {
    const sim::SimResult r = accel::simulate(traces::build_model(name, o), *acc);
    auto put = [&](const std::string& key, double v) { out.push_back(name + " " + key + " " + exact(v)); };
    put("latency_ms", r.latency_ms);
    put("throughput", r.throughput);
    put("W_flops", r.flops);
    put("Q_hbm_bytes", r.hbm_bytes);
    put("I_intensity", r.intensity);
    put("E_efficiency", r.efficiency);
    put("achieved_flops", r.achieved_flops);
    put("ideal_flops", r.ideal_flops);
    put("hbm_achieved_bandwidth", r.hbm_achieved_bandwidth);
    put("tasks", static_cast<double>(r.tasks));
    for (const auto& u : r.units) {
      const std::string p = "units." + u.name + ".";
      put(p + "instances", u.instances);
      put(p + "busy_ms", u.busy_ms);
      put(p + "busy_fraction", u.busy_fraction);
      put(p + "contention_ms", u.contention_ms);
      put(p + "tasks", static_cast<double>(u.tasks));
    }
  }
  return out;
}

}  // namespace rp::golden
