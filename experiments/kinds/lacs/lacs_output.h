#pragma once
// Output of a LACS run (schema in docs/lacs.md), written to OUTPUT.tmp and renamed:
//   /grid    one row per evaluated triplet in evaluation order: alpha, beta, gamma, stage (0 grid, 1 refine),
//            feasible, status, accuracy, latency_ms, reward, flops_ratio, resolution, layers, params, macs
//   /family  one row per member: family ("lacs" / "accuracy-only"), alpha, beta, gamma, phi, depth, width,
//            resolution, layers, params, macs, latency_ms, accuracy, feasible, status, yaml
//   /zoo     the zoo families on the same accelerator and batch (lacs/zoo_references.h): family, name, level,
//            latency_ms, macs, params, published_top1 (NaN: none), surrogate_top1
//   attributes of /: experiment (resolved YAML), experiment_canonical, experiment_file, accelerator,
//            accelerator_config (resolved accelerator YAML), objective, accuracy_method (surrogate or proxy, and
//            the surrogate's fit), surrogate (its YAML), base, base_latency_ms, target_latency_ms, alpha, beta,
//            gamma (found), tool_version
#include <string>
#include <vector>

#include "lacs/family.h"
#include "lacs/zoo_references.h"

namespace rp::lacs {

struct LacsOutputMeta {
  const LacsExperiment& experiment;
  std::string accelerator_yaml;
  std::string accuracy_method;
  std::string surrogate_yaml;
  double base_latency_ms = 0, target_latency_ms = 0;
  Triplet found;
  std::string version;
};

void write_lacs_h5(const std::string& path, const LacsOutputMeta& meta, const std::vector<PointResult>& grid,
                   const std::vector<Member>& family, const std::vector<ZooReference>& zoo);

}  // namespace rp::lacs
