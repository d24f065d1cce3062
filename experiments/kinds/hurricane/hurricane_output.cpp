#include "experiments/kinds/hurricane/hurricane_output.h"

#include <cmath>
#include <cstdio>

#include "experiments/run/record_io.h"
#include "traces/zoo/layerwise_net.h"

namespace rp::kinds {
namespace {

constexpr const char* kWinner = "winner.yaml";

// The run's summary attributes beside the run's own (run_context.h).
struct HurricaneAttributes {
  double latency_constraint_ms = 0;
  int64_t batch = 0;
  int resolution = 0;
  double space_size = 0;
  int64_t space_benchmarks = 0;
  std::string winner_yaml;
  std::string retrain_dataset, retrain_dataset_mean, retrain_dataset_std;  // retrain.dataset's format, normalization
};

void attribute_columns(Columns& c, HurricaneAttributes& a) {
  c.column("latency_constraint_ms", a.latency_constraint_ms);
  c.column("batch", a.batch);
  c.column("resolution", a.resolution);
  c.column("space_size", a.space_size);
  c.column("space_benchmarks", a.space_benchmarks);
  c.column("winner_yaml", a.winner_yaml);
  c.column("retrain_dataset", a.retrain_dataset);
  c.column("retrain_dataset_mean", a.retrain_dataset_mean);
  c.column("retrain_dataset_std", a.retrain_dataset_std);
}

// A stage's figures, as attributes stageN_active_layers and stageN_train_images.
struct StageAttributes {
  std::string prefix;  // "stage1": not an attribute, names them
  std::string active_layers;
  int64_t train_images = 0;
};

void stage_attribute_columns(Columns& c, StageAttributes& a) {
  c.column(a.prefix + "_active_layers", a.active_layers);
  c.column(a.prefix + "_train_images", a.train_images);
}

// Stage 2's guard (two_stage.h), as attributes stage2_win1_fine_tuned (a_win1's supernet accuracy with the
// fine-tuned weights, before the guard) and stage2_win1_restored (1: its first t layers' ops got stage 1's weights
// back).
struct GuardAttributes {
  double win1_fine_tuned = 0;
  int64_t win1_restored = 0;
};

void guard_attribute_columns(Columns& c, GuardAttributes& a) {
  c.column("stage2_win1_fine_tuned", a.win1_fine_tuned);
  c.column("stage2_win1_restored", a.win1_restored);
}

}  // namespace

std::string write_winner_yaml(run::RunContext& ctx, const HurricaneSettings& s, const hurricane::HwSpace& space,
                              const hurricane::TwoStageOutcome& out) {
  const hurricane::Reported& w = out.reported.back();
  traces::Skeleton sk = traces::default_skeleton(s.layers);
  sk.resolution = s.resolution;
  std::vector<traces::OpSpec> ops;
  for (size_t i = 0; i < w.path.size(); ++i) {
    ops.push_back(traces::parse_op(space.layers[i].kept.at(static_cast<size_t>(w.path[i])).op));
  }
  char figures[200];
  std::snprintf(figures, sizeof figures,
                "simulated latency %.6g ms at batch %lld (limit %.6g ms), supernet accuracy "
                "%.4f",
                w.latency_ms, static_cast<long long>(s.hardware.batch), s.latency_constraint_ms, w.supernet_accuracy);
  std::string set;
  for (const auto& kv : s.hardware.set) set += " --set " + kv;
  const std::string path = ctx.files().path(kWinner);
  ctx.files().write(
      kWinner, traces::layerwise_yaml("hurricane-" + w.label, sk, ops,
                                      {"HURRICANE winner (" + w.label + ") on " + s.hardware.accelerator +
                                           " (ridgepoint run " + ctx.request().file + ")",
                                       figures, "accuracy source: " + accuracy_budget(s),
                                       "simulate: ridgepoint simulate " + path + " --accel " + s.hardware.accelerator +
                                           " --batch " + std::to_string(s.hardware.batch) + set}));
  return path;
}

void write_hurricane_output(run::RunContext& ctx, const HurricaneSettings& s, const hurricane::HwSpace& space,
                            const hurricane::TwoStageOutcome& out, const std::vector<ResultRow>& rows) {
  const HurricaneAttributes a{s.latency_constraint_ms,
                              s.hardware.batch,
                              s.resolution,
                              space.size(),
                              space.benchmarks,
                              ctx.files().path(kWinner),
                              s.retrain_dataset.format,
                              s.retrain_dataset_mean,
                              s.retrain_dataset_std};
  AccuracyAttributes acc{accuracy_method(s), accuracy_budget(s), 0};
  for (const ResultRow& r : rows) acc.table_misses += is_table_miss(r.retrain_note) ? 1 : 0;
  ctx.write_output([&](traces::H5Out& root) {
    run::write_table(root, "space", hurricane::space_rows(space), hurricane::space_row_columns);
    for (const hurricane::StageOutcome& st : out.stages) {
      StageAttributes sa{"stage" + std::to_string(st.stage), "", st.train_images};
      for (char x : st.active) sa.active_layers += x ? '1' : '0';
      run::write_table(root, sa.prefix, hurricane::candidate_rows(space, st), hurricane::candidate_columns);
      run::write_attributes(root, sa, stage_attribute_columns);
      if (st.stage == 2 && !std::isnan(st.win1_fine_tuned)) {
        GuardAttributes g{st.win1_fine_tuned, st.win1_restored ? 1 : 0};
        run::write_attributes(root, g, guard_attribute_columns);
      }
    }
    run::write_table(root, "result", rows, result_columns);
    run::write_attributes(root, a, attribute_columns);
    run::write_attributes(root, acc, accuracy_attribute_columns);
  });
}

}  // namespace rp::kinds
