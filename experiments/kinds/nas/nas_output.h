#pragma once
// Output of a search: the HDF5 file (schema in docs/nas.md) and the best architectures as network YAML files.
//   /samples     one row per sample in step order: step, arch, latency_ms, accuracy, reward, macs, params,
//                feasible (0/1), reason
//   /references  zoo models on the same accelerator, batch and resolution: name, latency_ms, macs, params
//   attributes of /: experiment (resolved YAML), experiment_canonical, experiment_file, accelerator_config
//                (resolved accelerator YAML), accelerator, space, space_size, reward, tool_version
// Written to OUTPUT.tmp and renamed, so an unfinished search never leaves a file that looks complete.
#include <string>
#include <vector>

#include "experiments/kinds/nas/nas_experiment.h"
#include "experiments/kinds/nas/sample_journal.h"
#include "nas/space/search_space.h"

namespace rp::nas {

struct Reference {
  std::string name;
  double latency_ms = 0;  // NaN when infeasible
  int64_t macs = 0, params = 0;
};

struct NasOutputMeta {
  const NasExperiment& experiment;
  const SearchSpace& space;
  std::string accelerator_yaml;
  std::string version;
};

void write_nas_h5(const std::string& path, const NasOutputMeta& meta, const std::vector<Sample>& samples,
                  const std::vector<Reference>& references);

// The `count` best feasible distinct architectures by reward (ties: the earlier step) as network YAML files
// `<output without .h5>.best<k>.yaml`; returns their paths, best first.
std::vector<std::string> write_best_networks(const NasOutputMeta& meta, const std::vector<Sample>& samples,
                                             int count = 3);

}  // namespace rp::nas
