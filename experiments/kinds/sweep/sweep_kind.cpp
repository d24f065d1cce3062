#include "experiments/kinds/sweep/sweep_kind.h"

#include <map>
#include <memory>
#include <ostream>

#include "accel_models/evaluate.h"
#include "experiments/kinds/model_files.h"
#include "experiments/kinds/run_plan.h"
#include "experiments/kinds/shared_settings.h"
#include "experiments/kinds/sweep/sweep_settings.h"
#include "experiments/run/progress.h"
#include "experiments/run/record_io.h"
#include "simulator/result_schema.h"

namespace rp::kinds {
namespace {

std::vector<const sim::Field<sim::SimResult>*> sweep_fields() {
  std::vector<const sim::Field<sim::SimResult>*> out;
  for (const auto& f : sim::result_fields()) {
    if (f.in_sweeps) out.push_back(&f);
  }
  return out;
}

// A row with its point's identity and the sweep's column names, to be filled by a simulation or a journal line.
SweepRow blank_row(const Sweep& w, const Point& p) {
  SweepRow r;
  r.index = p.index;
  r.accelerator = p.accelerator;
  r.model = p.model;
  for (size_t i = 0; i < w.keys.size(); ++i) r.values.emplace_back(w.keys[i], p.values[i]);
  r.figures.assign(sweep_fields().size(), 0.0);
  return r;
}

// Simulates points in a worker: networks built once per (model, batch, resolution, sequence length, precision), one
// memoized evaluator per accelerator variant (consecutive points share it: the order is accelerator-major); model
// files imported once per run (ModelCache; the parent's cache is inherited by forked workers).
class PointSimulator {
 public:
  // Imports every model file now, before the run begins: a file that does not import is an error of the command
  // (exit 2), not a row of every point.
  explicit PointSimulator(const Sweep& w) : w_(w) {
    for (const auto& m : w.settings.models) {
      if (importer_for(m)) models_.build(m, traces::BuildOptions{});
    }
  }

  int64_t imports() const { return models_.imports(); }

  SweepRow operator()(const Point& p) {
    SweepRow r = blank_row(w_, p);
    accel::Evaluator& memo = evaluator(p);
    const auto& info = memo.accelerator().info();
    const int64_t batch = p.batch > 0 ? p.batch : (w_.settings.batch > 0 ? w_.settings.batch : info.default_batch);
    r.batch_rule = batch_rule(batch,
                              p.batch > 0             ? "grid batch"
                              : w_.settings.batch > 0 ? "sweep batch"
                                                      : "",
                              p.accelerator);
    traces::BuildOptions o;
    o.batch = batch;
    o.resolution = p.resolution;
    o.seq_len = p.seq_len;
    o.dtype = info.precision;
    const std::string key =
        p.model + "@" + std::to_string(batch) + ":" + std::to_string(p.resolution) + ":" + std::to_string(p.seq_len);
    const accel::Outcome& out = memo(key, [&] { return models_.build(p.model, o); });
    if (!out.ok) {
      r.status = out.reason;  // an infeasible point is a row, not a crash
      return r;
    }
    size_t i = 0, k = 0;
    for (const auto& f : sim::result_fields()) {
      if (f.in_sweeps) r.figures[k++] = out.figures[i];
      ++i;
    }
    r.busy = out.busy;
    return r;
  }

 private:
  accel::Evaluator& evaluator(const Point& p) {
    std::string variant = std::to_string(p.accelerator_index);
    for (size_t i = 0; i < w_.keys.size(); ++i) variant += "|" + p.values[i];
    if (!memo_ || variant != variant_) {
      memo_ = std::make_unique<accel::Evaluator>(w_.configs[p.accelerator_index].with(p.typed).build());
      variant_ = variant;
    }
    return *memo_;
  }

  const Sweep& w_;
  ModelCache models_;
  std::unique_ptr<accel::Evaluator> memo_;
  std::string variant_;
};

// A row from its journal line (or a worker's reply); std::exception for a line cut short.
SweepRow read_row(const std::string& line, const Sweep& w) {
  return run::from_json(line, row_columns, blank_row(w, w.points.front()));
}

std::map<int64_t, SweepRow> journaled_rows(run::LineJournal& j, const Sweep& w) {
  std::map<int64_t, SweepRow> rows;
  for (SweepRow& r : run::read_journal(j, row_columns, blank_row(w, w.points.front()))) {
    if (r.index >= 0 && r.index < static_cast<int64_t>(w.points.size())) rows[r.index] = std::move(r);
  }
  return rows;
}

}  // namespace

void row_columns(Columns& c, SweepRow& r) {
  c.column("point", r.index);
  c.column("accelerator", r.accelerator);
  c.column("model", r.model);
  for (auto& [key, value] : r.values) c.text_or_number(key, value);
  c.column("status", r.status);
  c.column("batch_rule", r.batch_rule);
  size_t k = 0;
  for (const auto* f : sweep_fields()) c.column(f->name, r.figures[k++]);
  c.prefixed("busy_", r.busy);
}

int run_sweep(run::RunContext& ctx) {
  const Sweep w = load_sweep(ctx.request().file, ctx.request().kind, ctx.request().output);
  SweepSettings s = w.settings;
  PointSimulator simulate(w);
  if (simulate.imports() > 0) ctx.log() << "imported " << simulate.imports() << " model file(s), once for the run\n";
  const run::Job job = [&](const std::string& i) {
    return run::to_json(simulate(w.points.at(std::stoul(i))), row_columns);
  };
  run::RunPlan plan = make_plan(s.kind, s.output, declaration(s, describe), ctx.request(), false);
  plan.units = static_cast<int64_t>(w.points.size());  // no more --jobs workers than points
  if (!ctx.begin(plan, job)) return 0;

  std::map<int64_t, SweepRow> rows = journaled_rows(ctx.journal(), w);
  std::vector<std::string> todo;
  for (const Point& p : w.points) {
    if (!rows.count(p.index) && (ctx.budget() < 0 || static_cast<int64_t>(todo.size()) < ctx.budget())) {
      todo.push_back(std::to_string(p.index));
    }
  }
  const int64_t total = static_cast<int64_t>(w.points.size()), before = static_cast<int64_t>(rows.size());
  if (before > 0) {
    ctx.log() << "resuming: " << before << " of " << total << " points already done, " << todo.size()
              << " to compute\n";
  }
  ctx.summary().total = total;
  ctx.summary().done_before = before;
  run::Progress bar(ctx.log(), total, before, run::is_terminal(2));
  int64_t computed = 0;
  ctx.pool().run(todo, [&](size_t, const std::string& reply) {
    SweepRow r = read_row(reply, w);
    ctx.journal().append(reply);
    rows[r.index] = std::move(r);
    bar.update(++computed);
    ctx.summary().computed = computed;
  });
  bar.finish();
  if (static_cast<int64_t>(rows.size()) < total) {
    ctx.log() << "stopped with " << rows.size() << " of " << total << " points done (progress kept in "
              << ctx.journal().path() << "); run the same command again to resume\n";
    return 0;
  }
  std::vector<SweepRow> table;
  for (auto& [i, r] : rows) table.push_back(std::move(r));
  ctx.write_output([&](traces::H5Out& root) { run::write_table(root, "points", table, row_columns); });
  ctx.finish();
  ctx.log() << "wrote " << s.output << ": " << table.size() << " rows (" << computed << " computed now, " << before
            << " resumed)\n";
  return 0;
}

}  // namespace rp::kinds
