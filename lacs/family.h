#pragma once
// Model-family generation: the base scaled to levels phi = 0..P with found coefficients (d = alpha^phi,
// w = beta^phi, r = gamma^phi, rounded as lacs/scaling.h), each simulated on the experiment's accelerator and
// given an accuracy estimate, and written as a network YAML that `ridgepoint info` / `simulate` accept.
#include <cstdint>
#include <string>
#include <vector>

#include "lacs/point_eval.h"

namespace rp::lacs {

struct Member {
  std::string family;  // "lacs" (latency-aware) or "accuracy-only"
  Triplet t;
  int phi = 0;
  double depth = 1, width = 1;  // multipliers
  int resolution = 0, layers = 0;  // layers: MBConv blocks after round_repeats
  int64_t params = 0, macs = 0;    // MACs per image
  bool feasible = true;
  std::string status = "ok";
  double latency_ms = 0, accuracy = 0;  // NaN when infeasible
  std::string yaml_path;
};

// Scales, simulates and estimates levels 0..phi; does not write files.
std::vector<Member> make_family(PointEvaluator& eval, const std::string& family, const Triplet& t, int phi,
                                const std::string& name_prefix);

// Writes each member's network YAML as `<stem>.<family>-phi<k>.yaml` (sets yaml_path); `how` goes in the comment.
void write_family_yamls(const traces::MbconvSpec& base, std::vector<Member>& members, const std::string& stem,
                        const std::string& how);

}  // namespace rp::lacs
