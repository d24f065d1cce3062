#include "traces/writers/chrome_trace.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace rp::traces {

namespace {

using nlohmann::json;

constexpr int kFusionPid = 1;

int64_t ns_from_ps(sim::Ps t) { return (t + 500) / 1000; }
int64_t ns_from_ms(double t) { return static_cast<int64_t>(std::llround(t * 1e6)); }
double us(int64_t ns) { return static_cast<double>(ns) / 1000.0; }

json meta_event(const char* name, int pid, int tid, json args) {
  json e = {{"name", name}, {"ph", "M"}, {"pid", pid}, {"args", std::move(args)}};
  if (tid >= 0) e["tid"] = tid;
  return e;
}

json span(const std::string& name, const std::string& cat, int pid, int tid, int64_t start_ns, int64_t end_ns,
          json args) {
  return {{"name", name},
          {"cat", cat},
          {"ph", "X"},
          {"pid", pid},
          {"tid", tid},
          {"ts", us(start_ns)},
          {"dur", us(end_ns - start_ns)},
          {"args", std::move(args)}};
}

// Fusion spans on lanes: each goes to the first lane free at its start.
void add_fusions(json& ev, const TraceInput& in, int first_tid) {
  const auto& layers = in.result.layers;
  std::vector<size_t> order(layers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return layers[a].start_ms < layers[b].start_ms; });
  std::vector<int64_t> lane_end;
  for (size_t i : order) {
    const sim::LayerSummary& l = layers[i];
    const int64_t s = ns_from_ms(l.start_ms), e = ns_from_ms(l.end_ms);
    size_t lane = 0;
    while (lane < lane_end.size() && lane_end[lane] > s) ++lane;
    if (lane == lane_end.size())
      lane_end.push_back(e);
    else
      lane_end[lane] = e;
    const double seconds = (l.end_ms - l.start_ms) * 1e-3;
    json args = {{"index", i},
                 {"unit", l.unit},
                 {"macs", l.macs},
                 {"flops", l.flops},
                 {"hbm_bytes", l.hbm_bytes},
                 {"operational_intensity", l.intensity},
                 {"achieved_flops", seconds > 0 ? l.flops / seconds : 0.0},
                 {"efficiency", l.efficiency},
                 {"fused", l.fused}};
    ev.push_back(span(l.name, "fusion", kFusionPid, first_tid + static_cast<int>(lane), s, e, std::move(args)));
  }
  ev.push_back(meta_event("process_name", kFusionPid, -1, {{"name", "fusions (" + in.result.model + ")"}}));
  ev.push_back(meta_event("process_sort_index", kFusionPid, -1, {{"sort_index", 0}}));
  for (size_t lane = 0; lane < lane_end.size(); ++lane) {
    const int tid = first_tid + static_cast<int>(lane);
    ev.push_back(meta_event("thread_name", kFusionPid, tid, {{"name", "lane " + std::to_string(lane)}}));
    ev.push_back(meta_event("thread_sort_index", kFusionPid, tid, {{"sort_index", lane}}));
  }
}

// Counter `name` of one process: the summed rate of its transfers, from (ns, +-bytes/s) steps.
void add_hbm_counter(json& ev, int pid, const std::string& name, std::vector<std::pair<int64_t, double>> steps) {
  std::sort(steps.begin(), steps.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double rate = 0;
  int active = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    rate += steps[i].second;
    active += steps[i].second > 0 ? 1 : -1;
    if (active == 0) rate = 0;  // no rounding residue once idle
    if (i + 1 < steps.size() && steps[i + 1].first == steps[i].first) continue;
    ev.push_back({{"name", name},
                  {"ph", "C"},
                  {"pid", pid},
                  {"ts", us(steps[i].first)},
                  {"args", {{"GB/s", std::max(0.0, rate / 1e9)}}}});
  }
}

// "core0.hbm GB/s (...)" when the process has exactly one HBM instance, else "hbm GB/s (...)".
std::string counter_name(const std::vector<sim::UnitInstance>& inst, const std::string& process) {
  std::string found;
  int n = 0;
  for (const auto& u : inst) {
    if (u.kind == "hbm" && unit_process(u.name) == process) found = u.name, ++n;
  }
  return (n == 1 ? found : std::string("hbm")) + " GB/s (per-transfer average)";
}

}  // namespace

json chrome_trace_json(const TraceInput& in) {
  const auto& inst = in.result.instances;
  json ev = json::array();
  std::map<std::string, int> pids;  // process name -> pid
  std::vector<int> unit_pid(inst.size(), 0);
  std::vector<bool> used(inst.size(), false);
  for (const TaskTrace& t : in.tasks) {
    if (t.unit >= 0 && static_cast<size_t>(t.unit) < inst.size()) used[static_cast<size_t>(t.unit)] = true;
  }
  for (size_t u = 0; u < inst.size(); ++u) {
    if (!used[u]) continue;
    const std::string proc = unit_process(inst[u].name);
    if (!pids.count(proc)) {
      const int pid = kFusionPid + 1 + static_cast<int>(pids.size());
      pids[proc] = pid;
      ev.push_back(meta_event("process_name", pid, -1, {{"name", proc}}));
      ev.push_back(meta_event("process_sort_index", pid, -1, {{"sort_index", pid}}));
    }
    unit_pid[u] = pids[proc];
    const int tid = static_cast<int>(u) + 1;
    ev.push_back(meta_event("thread_name", unit_pid[u], tid, {{"name", inst[u].name}}));
    ev.push_back(meta_event("thread_sort_index", unit_pid[u], tid, {{"sort_index", u}}));
  }

  std::map<int, std::vector<std::pair<int64_t, double>>> hbm;  // pid -> (ns, bytes/s delta)
  for (const TaskTrace& t : in.tasks) {
    if (t.unit < 0 || static_cast<size_t>(t.unit) >= inst.size()) continue;
    const std::string kind = task_kind_name(in.meta, t.kind);
    const bool named = t.layer >= 0 && static_cast<size_t>(t.layer) < in.result.layers.size();
    const int64_t s = ns_from_ps(t.start), e = ns_from_ps(t.end);
    json args = {{"layer", t.layer}, {"ready_us", us(ns_from_ps(t.ready))}, {"wait_us", us(s - ns_from_ps(t.ready))}};
    if (t.bytes) args["bytes"] = t.bytes;
    if (t.ops) args["ops"] = t.ops;
    if (t.m) args["gemm_mkn"] = {t.m, t.k, t.n};
    const int pid = unit_pid[static_cast<size_t>(t.unit)];
    ev.push_back(span(named ? in.result.layers[static_cast<size_t>(t.layer)].name : kind, kind, pid, t.unit + 1, s, e,
                      std::move(args)));
    if ((kind == "load" || kind == "store") && t.bytes > 0 && t.end > t.start) {
      const double rate = static_cast<double>(t.bytes) / sim::seconds(t.end - t.start);
      hbm[pid].push_back({s, rate});
      hbm[pid].push_back({e, -rate});
    }
  }
  for (auto& [proc, pid] : pids) {
    if (hbm.count(pid)) add_hbm_counter(ev, pid, counter_name(inst, proc), std::move(hbm[pid]));
  }
  add_fusions(ev, in, static_cast<int>(inst.size()) + 1);

  const sim::SimResult& r = in.result;
  json other = {{"tool", "ridgepoint"},      {"tool_version", tool_version()},
                {"model", r.model},          {"accelerator", r.accelerator},
                {"batch", r.batch},          {"latency_ms", r.latency_ms},
                {"command", in.meta.command}};
  return {{"traceEvents", std::move(ev)}, {"otherData", std::move(other)}};
}

void write_chrome_trace(const TraceInput& in, OutputFile& out) { out.write(chrome_trace_json(in).dump() + "\n"); }

void write_chrome_trace(const TraceInput& in, const std::string& path) {
  OutputFile out(path);
  write_chrome_trace(in, out);
  out.commit();
}

}  // namespace rp::traces
