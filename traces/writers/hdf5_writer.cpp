#include "traces/writers/hdf5_writer.h"

#include "simulator/result_schema.h"
#include "traces/writers/h5_seam.h"
#include "traces/writers/hdf5_table.h"
#include "traces/writers/network_text.h"

namespace rp::traces {

namespace {

void write_meta(H5Out& g, const TraceInput& in) {
  const sim::SimResult& r = in.result;
  g.attr("format", std::string("ridgepoint-trace"));
  g.attr("format_version", int64_t{1});
  g.attr("tool", std::string("ridgepoint"));
  g.attr("tool_version", std::string(tool_version()));
  g.attr("command", in.meta.command);
  g.attr("time_unit", std::string("ms"));
  g.attr("model", r.model);
  g.attr("accelerator", r.accelerator);
  g.attr("family", in.meta.family);
  g.attr("precision", in.meta.precision);
  g.attr("accelerator_source", in.meta.accelerator_source);
  g.attr("batch", r.batch);
  g.attr("batch_rule", in.meta.batch_rule);
  g.attr("resolution", int64_t{in.network.resolution()});
  g.attr("seq_len", r.seq_len);                                         // 0 for an image model
  for (const auto& f : sim::result_fields()) g.attr(f.name, f.get(r));  // the result schema
  g.attr("num_layers", static_cast<int64_t>(r.layers.size()));
  g.attr("num_tasks", static_cast<int64_t>(in.tasks.size()));
  g.attr("num_units", static_cast<int64_t>(r.instances.size()));
  g.attr("accelerator_yaml", in.meta.accelerator_yaml);
  g.attr("network", network_yaml(in.network));
}

std::string join_shapes(const Network& net, const std::vector<int>& ids) {
  std::string s;
  for (int id : ids) s += (s.empty() ? "" : ",") + net.layer(id).output.str();
  return s;
}

Hdf5Table layers_table(const TraceInput& in) {
  const auto& layers = in.result.layers;
  const size_t n = layers.size();
  std::vector<std::string> name(n), kind(n), unit(n), in_shape(n), out_shape(n), fused(n);
  std::vector<int32_t> members(n);
  std::vector<int64_t> macs(n);
  std::vector<double> start(n), end(n), flops(n), bytes(n), intensity(n), achieved(n), ideal(n), eff(n);
  for (size_t i = 0; i < n; ++i) {
    const sim::LayerSummary& l = layers[i];
    name[i] = l.name;
    unit[i] = l.unit;
    const int anchor = in.network.find(l.name);
    if (anchor >= 0) {
      const Layer& a = in.network.layer(anchor);
      kind[i] = kind_name(a.kind);
      in_shape[i] = join_shapes(in.network, a.inputs);
      out_shape[i] = a.output.str();
    }
    for (const auto& f : l.fused) fused[i] += (fused[i].empty() ? "" : ",") + f;
    members[i] = static_cast<int32_t>(l.fused.size());
    macs[i] = l.macs;
    start[i] = l.start_ms;
    end[i] = l.end_ms;
    flops[i] = l.flops;
    bytes[i] = l.hbm_bytes;
    intensity[i] = l.intensity;
    const double seconds = (l.end_ms - l.start_ms) * 1e-3;
    achieved[i] = seconds > 0 ? l.flops / seconds : 0;
    ideal[i] = sim::ideal_rate(in.result.peak_flops, l.intensity, in.result.hbm_bandwidth);
    eff[i] = l.efficiency;
  }
  Hdf5Table t(n);
  t.add("name", name);
  t.add("kind", kind);
  t.add("unit", unit);
  t.add("input_shape", in_shape);
  t.add("output_shape", out_shape);
  t.add("fused", fused);
  t.add("members", members);
  t.add("start_ms", start);
  t.add("end_ms", end);
  t.add("macs", macs);
  t.add("flops", flops);
  t.add("hbm_bytes", bytes);
  t.add("operational_intensity", intensity);
  t.add("achieved_flops", achieved);
  t.add("ideal_flops", ideal);
  t.add("efficiency", eff);
  return t;
}

Hdf5Table tasks_table(const TraceInput& in) {
  const size_t n = in.tasks.size();
  std::vector<int32_t> unit(n), layer(n);
  std::vector<std::string> kind(n);
  std::vector<double> ready(n), start(n), end(n), wait(n), ops(n);
  std::vector<int64_t> bytes(n), m(n), k(n), nn(n);
  for (size_t i = 0; i < n; ++i) {
    const TaskTrace& t = in.tasks[i];
    unit[i] = t.unit;
    layer[i] = t.layer;
    kind[i] = task_kind_name(in.meta, t.kind);
    ready[i] = sim::ms(t.ready);
    start[i] = sim::ms(t.start);
    end[i] = sim::ms(t.end);
    wait[i] = sim::ms(t.start - t.ready);
    bytes[i] = t.bytes;
    ops[i] = t.ops;
    m[i] = t.m;
    k[i] = t.k;
    nn[i] = t.n;
  }
  Hdf5Table t(n);
  t.add("unit", unit);
  t.add("layer", layer);
  t.add("kind", kind);
  t.add("ready_ms", ready);
  t.add("start_ms", start);
  t.add("end_ms", end);
  t.add("wait_ms", wait);
  t.add("bytes", bytes);
  t.add("ops", ops);
  t.add("m", m);
  t.add("k", k);
  t.add("n", nn);
  return t;
}

// One row per unit kind and datapath, every field of the result schema's unit fields.
Hdf5Table unit_summary_table(const TraceInput& in) {
  const auto& units = in.result.units;
  const size_t n = units.size();
  std::vector<std::string> name(n), parent(n);
  std::vector<int32_t> headline(n);
  for (size_t i = 0; i < n; ++i) {
    name[i] = units[i].name;
    parent[i] = units[i].parent;
    headline[i] = units[i].headline ? 1 : 0;
  }
  Hdf5Table t(n);
  t.add("name", name);
  t.add("parent", parent);
  t.add("headline", headline);
  for (const auto& f : sim::unit_fields()) {
    std::vector<double> col(n);
    for (size_t i = 0; i < n; ++i) col[i] = f.get(units[i]);
    t.add(f.name, col);
  }
  return t;
}

Hdf5Table units_table(const TraceInput& in) {
  const auto& inst = in.result.instances;
  const size_t n = inst.size();
  const double latency = in.result.latency_ms;
  std::vector<std::string> name(n), kind(n), process(n);
  std::vector<int32_t> channels(n);
  std::vector<int64_t> tasks(n);
  std::vector<double> busy(n), idle(n), contention(n), fraction(n);
  for (size_t i = 0; i < n; ++i) {
    name[i] = inst[i].name;
    kind[i] = inst[i].kind;
    process[i] = unit_process(inst[i].name);
    channels[i] = inst[i].channels;
    tasks[i] = inst[i].tasks;
    busy[i] = inst[i].busy_ms;
    idle[i] = std::max(0.0, inst[i].channels * latency - inst[i].busy_ms);
    contention[i] = inst[i].contention_ms;
    fraction[i] = latency > 0 ? inst[i].busy_ms / (inst[i].channels * latency) : 0;
  }
  Hdf5Table t(n);
  t.add("name", name);
  t.add("kind", kind);
  t.add("process", process);
  t.add("channels", channels);
  t.add("tasks", tasks);
  t.add("busy_ms", busy);
  t.add("idle_ms", idle);
  t.add("contention_ms", contention);
  t.add("busy_fraction", fraction);
  return t;
}

}  // namespace

void write_hdf5_trace(const TraceInput& in, OutputFile& out) {
  write_hdf5(out, [&](H5Out& file) {
    std::unique_ptr<H5Out> meta = file.group("/meta");
    write_meta(*meta, in);
    file.table("layers", layers_table(in));
    file.table("tasks", tasks_table(in));
    file.table("units", units_table(in));
    file.table("unit_summary", unit_summary_table(in));
  });
}

void write_hdf5_trace(const TraceInput& in, const std::string& path) {
  OutputFile out(path);
  write_hdf5_trace(in, out);
  out.commit();
}

}  // namespace rp::traces
