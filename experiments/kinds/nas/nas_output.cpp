#include "experiments/kinds/nas/nas_output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

#include "experiments/run/record_io.h"
#include "nas/space/arch_network.h"
#include "traces/writers/hdf5_table.h"

namespace rp::kinds {
namespace {

// Zoo models marked on the latency-accuracy plot (their latency on the search's accelerator, batch, resolution).
const std::vector<std::string> kReferences = {"efficientnet-b0", "efficientnet-x-b0", "efficientnet-x-b0-relu",
                                              "mnasnet-a1", "mobilenet-v2"};

// The run's summary attributes beside the run's own (run_context.h).
struct NasAttributes {
  std::string space, reward;
  double space_size = 0, target_latency_ms = 0;
  std::string reward_control;  // none, no-latency or shuffled-latency (latency_ms is always the true latency)
  std::string dataset, dataset_mean, dataset_std;  // format; per-channel mean and std of the training split
};

void attribute_columns(Columns& c, NasAttributes& a) {
  c.column("space", a.space);
  c.column("space_size", a.space_size);
  c.column("reward", a.reward);
  c.column("target_latency_ms", a.target_latency_ms);
  c.column("reward_control", a.reward_control);
  c.column("dataset", a.dataset);
  c.column("dataset_mean", a.dataset_mean);
  c.column("dataset_std", a.dataset_std);
}

std::string test_line(const NasWinner& w) {
  if (std::isnan(w.test_accuracy)) return "test split: " + w.test_note;
  char line[64];
  std::snprintf(line, sizeof line, "test split: top-1 %.2f%% (", 100 * w.test_accuracy);
  return line + w.test_note + ")";
}

// accuracy_budget of the run (accuracy_source.h): the proxy's training budget, or the table's / command's.
std::string accuracy_budget(const NasSettings& s) {
  if (s.accuracy_method != "proxy") return source_budget(s.accuracy_method, s.accuracy_source);
  return "proxy: " + proxy_training_text(s.training, s.dataset) + " (nas/train)";
}

}  // namespace

void reference_columns(Columns& c, NasReference& r) {
  c.column("name", r.name);
  c.column("latency_ms", r.latency_ms);
  c.column("macs", r.macs);
  c.column("params", r.params);
}

void winner_columns(Columns& c, NasWinner& w) {
  c.column("rank", w.rank);
  c.column("step", w.step);
  c.column("arch", w.arch);
  c.column("val_accuracy", w.val_accuracy);
  c.column("test_accuracy", w.test_accuracy);
  c.column("test_note", w.test_note);
}

const nas::Sample* best_sample(const std::vector<nas::Sample>& samples) {
  const nas::Sample* best = nullptr;
  for (const nas::Sample& x : samples) {
    if (x.feasible && (!best || x.reward > best->reward)) best = &x;
  }
  return best;
}

std::vector<NasReference> nas_references(accel::Evaluator& evaluator, int64_t batch, int resolution) {
  std::vector<NasReference> out;
  for (const auto& name : kReferences) {
    const accel::Outcome& o = accel::evaluate_model(evaluator, name, batch, resolution);
    out.push_back({name, o.ok ? o.latency_ms : std::numeric_limits<double>::quiet_NaN(), o.macs / batch, o.params});
  }
  return out;
}

std::vector<std::string> write_best_networks(run::RunContext& ctx, const NasSettings& s, const nas::SearchSpace& space,
                                             const std::vector<nas::Sample>& samples,
                                             const std::vector<NasWinner>& winners, int count) {
  std::vector<const nas::Sample*> order;
  for (const nas::Sample& x : samples) {
    if (x.feasible) order.push_back(&x);
  }
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) { return a->reward > b->reward; });
  std::vector<std::string> paths;
  std::set<std::string> seen;
  for (const nas::Sample* x : order) {
    if (static_cast<int>(paths.size()) >= count) break;
    if (!seen.insert(x->arch).second) continue;
    const int k = static_cast<int>(paths.size()) + 1;
    const std::string name = "best" + std::to_string(k) + ".yaml";
    char figures[200];
    std::snprintf(figures, sizeof figures, "step %lld: latency %.6g ms, %s top-1 %.2f%%, reward %.6g",
                  static_cast<long long>(x->step), x->latency_ms, s.accuracy_method.c_str(), 100 * x->accuracy,
                  x->reward);
    std::string set;
    for (const auto& kv : s.hardware.set) set += " --set " + kv;
    std::vector<std::string> comment = {
        "Best architecture #" + std::to_string(k) + " of the " + s.method + " search in space " + s.space + " on " +
            s.hardware.accelerator + " (ridgepoint run " + ctx.request().file + ")",
        "arch: " + x->arch, figures, "accuracy source: " + accuracy_budget(s),
        "simulate: ridgepoint simulate " + ctx.files().path(name) + " --accel " + s.hardware.accelerator + " --batch " +
            std::to_string(s.hardware.batch) + set};
    for (const NasWinner& w : winners) {
      if (w.arch == x->arch) comment.push_back(test_line(w));
    }
    ctx.files().write(
        name, nas::network_yaml(space, space.parse(x->arch), s.resolution, "nas-best" + std::to_string(k), comment));
    paths.push_back(ctx.files().path(name));
  }
  return paths;
}

void write_nas_output(run::RunContext& ctx, const NasSettings& s, const nas::SearchSpace& space,
                      const std::vector<nas::Sample>& samples, const std::vector<NasReference>& references,
                      const std::vector<NasWinner>& winners) {
  NasAttributes a{space.name,       s.reward_spec().describe(), space.size(),   s.target_latency_ms,
                  s.reward_control, s.dataset.format,           s.dataset_mean, s.dataset_std};
  ctx.write_output([&](traces::H5Out& root) {
    run::write_table(root, "samples", samples, nas::sample_columns);
    run::write_table(root, "references", references, reference_columns);
    run::write_table(root, "winners", winners, winner_columns);
    run::write_attributes(root, a, attribute_columns);
    AccuracyAttributes acc{s.accuracy_method, accuracy_budget(s), 0};
    for (const nas::Sample& x : samples) acc.table_misses += is_table_miss(x.reason) ? 1 : 0;
    run::write_attributes(root, acc, accuracy_attribute_columns);
  });
}

}  // namespace rp::kinds
