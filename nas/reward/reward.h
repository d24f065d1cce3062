#pragma once
// MnasNet's multi-objective reward, R = ACC x (LAT / T)^w with w = alpha when LAT <= T, else beta
// (nas-and-scaling.md section 1.1): soft constraint alpha = beta = -0.07, hard constraint alpha = 0, beta = -1.
// An infeasible candidate (the simulator cannot map it) gets reward 0, the lowest any candidate can get.
#include <string>

namespace rp::nas {

struct RewardSpec {
  double target_ms = 0;
  double alpha = -0.07, beta = -0.07;
  static constexpr double kInfeasible = 0.0;

  static RewardSpec soft(double target_ms, double w) { return {target_ms, w, w}; }
  static RewardSpec hard(double target_ms) { return {target_ms, 0.0, -1.0}; }
  double operator()(double accuracy, double latency_ms) const;
  std::string describe() const;  // "ACC*(LAT/9ms)^-0.07" or with both exponents
};

}  // namespace rp::nas
