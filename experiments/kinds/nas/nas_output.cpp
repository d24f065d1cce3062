#include "experiments/kinds/nas/nas_output.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>

#include "nas/space/arch_network.h"
#include "simulator/error.h"
#include "traces/writers/hdf5_table.h"
#include "traces/writers/output_file.h"

namespace rp::nas {
void write_nas_h5(const std::string& path, const NasOutputMeta& meta, const std::vector<Sample>& samples,
                  const std::vector<Reference>& references) {
  traces::OutputFile out(path);
  {
    H5::H5File f(out.tmp_path(), H5F_ACC_TRUNC);
    H5::Group root = f.openGroup("/");
    traces::Hdf5Table t(samples.size());
    std::vector<int64_t> step, macs, params;
    std::vector<int32_t> feasible;
    std::vector<std::string> arch, reason;
    std::vector<double> lat, acc, rew;
    for (const Sample& s : samples) {
      step.push_back(s.step);
      arch.push_back(s.arch);
      lat.push_back(s.latency_ms);
      acc.push_back(s.accuracy);
      rew.push_back(s.reward);
      macs.push_back(s.macs);
      params.push_back(s.params);
      feasible.push_back(s.feasible ? 1 : 0);
      reason.push_back(s.reason);
    }
    t.add("step", step);
    t.add("arch", arch);
    t.add("latency_ms", lat);
    t.add("accuracy", acc);
    t.add("reward", rew);
    t.add("macs", macs);
    t.add("params", params);
    t.add("feasible", feasible);
    t.add("reason", reason);
    t.write(root, "samples");

    traces::Hdf5Table r(references.size());
    std::vector<std::string> names;
    std::vector<double> rlat;
    std::vector<int64_t> rmacs, rparams;
    for (const Reference& x : references) {
      names.push_back(x.name);
      rlat.push_back(x.latency_ms);
      rmacs.push_back(x.macs);
      rparams.push_back(x.params);
    }
    r.add("name", names);
    r.add("latency_ms", rlat);
    r.add("macs", rmacs);
    r.add("params", rparams);
    r.write(root, "references");

    traces::write_attr(root, "experiment", meta.experiment.resolved_yaml());
    traces::write_attr(root, "experiment_canonical", meta.experiment.canonical());
    traces::write_attr(root, "experiment_file", meta.experiment.file);
    traces::write_attr(root, "accelerator", meta.experiment.accelerator);
    traces::write_attr(root, "accelerator_config", meta.accelerator_yaml);
    traces::write_attr(root, "space", meta.space.name);
    traces::write_attr(root, "space_size", meta.space.size());
    traces::write_attr(root, "reward", meta.experiment.reward.describe());
    traces::write_attr(root, "target_latency_ms", meta.experiment.reward.target_ms);
    traces::write_attr(root, "tool_version", meta.version);
  }
  out.commit();
}

std::vector<std::string> write_best_networks(const NasOutputMeta& meta, const std::vector<Sample>& samples,
                                             int count) {
  std::vector<const Sample*> order;
  for (const Sample& s : samples) {
    if (s.feasible) order.push_back(&s);
  }
  std::stable_sort(order.begin(), order.end(), [](const Sample* a, const Sample* b) { return a->reward > b->reward; });
  std::vector<std::string> paths;
  std::set<std::string> seen;
  const NasExperiment& e = meta.experiment;
  for (const Sample* s : order) {
    if (static_cast<int>(paths.size()) >= count) break;
    if (!seen.insert(s->arch).second) continue;
    const int k = static_cast<int>(paths.size()) + 1;
    const std::string path = traces::output_stem(e.output) + ".best" + std::to_string(k) + ".yaml";
    char figures[200];
    std::snprintf(figures, sizeof figures, "step %lld: latency %.6g ms, proxy accuracy %.4f, reward %.6g",
                  static_cast<long long>(s->step), s->latency_ms, s->accuracy, s->reward);
    std::string set;
    for (const auto& kv : e.set) set += " --set " + kv;
    const std::vector<std::string> comment = {
        "Best architecture #" + std::to_string(k) + " of the " + e.method + " search in space " + e.space +
            " on " + e.accelerator + " (ridgepoint run " + e.file + ")",
        "arch: " + s->arch, figures,
        "simulate: ridgepoint simulate " + path + " --accel " + e.accelerator + " --batch " +
            std::to_string(e.batch) + set};
    const std::string text =
        network_yaml(meta.space, meta.space.parse(s->arch), e.resolution, "nas-best" + std::to_string(k), comment);
    traces::write_atomically(path, [&](const std::string& tmp) {
      std::ofstream f(tmp);
      f << text;
      if (!f.flush()) throw UsageError("cannot write " + path);
    });
    paths.push_back(path);
  }
  return paths;
}

}  // namespace rp::nas
