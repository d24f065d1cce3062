#pragma once
// MnasNet's multi-objective reward, R = ACC x (LAT / T)^w with w = alpha when LAT <= T, else beta
// (nas-and-scaling.md section 1.1): soft constraint alpha = beta = -0.07, hard constraint alpha = 0, beta = -1.
// An infeasible candidate (the simulator cannot map it) gets reward 0, the lowest any candidate can get.
// Control searches (docs/nas.md, "Control searches") take the hardware out of the reward with everything else
// unchanged: `no-latency` rewards accuracy alone (w = 0); `shuffled-latency` rates each candidate with the latency
// of another candidate of its round (latency_donors), so the reward keeps its latency spread but no candidate's
// own latency reaches its own reward.
#include <cstdint>
#include <string>
#include <vector>

namespace rp::nas {

enum class LatencyControl { none, no_latency, shuffled_latency };
// "none", "no-latency", "shuffled-latency" (the settings' words); UsageError for any other word.
LatencyControl latency_control(const std::string& word);
std::string control_word(LatencyControl c);

struct RewardSpec {
  double target_ms = 0;
  double alpha = -0.07, beta = -0.07;
  LatencyControl control = LatencyControl::none;
  uint64_t control_seed = 1;  // shuffled-latency: the seed of the permutations (the run's search seed)
  static constexpr double kInfeasible = 0.0;

  static RewardSpec soft(double target_ms, double w) { return {target_ms, w, w}; }
  static RewardSpec hard(double target_ms) { return {target_ms, 0.0, -1.0}; }
  // no-latency: `accuracy` (the latency factor is 1, as with w = 0); otherwise ACC x (LAT / T)^w. Under
  // shuffled-latency the caller passes the donor's latency (nas_search.cpp), this formula is unchanged.
  double operator()(double accuracy, double latency_ms) const;
  // "ACC*(LAT/9ms)^-0.07" or with both exponents; a control adds ", control: no-latency" (and the seed).
  std::string describe() const;
};

// shuffled-latency: which latency each of the `n` feasible candidates of one round (in step order; the round's
// first step `first`) is rewarded with: candidate i uses candidate donors[i]'s latency. The candidates are put in
// a Fisher-Yates order drawn from std::mt19937_64(seed + 1000003 x first) (j = draw mod (i + 1), i from n-1 down to
// 1: written out here, not std::shuffle, so every standard library gives the same order), and each candidate takes
// the latency of the next one in that order, the last the first's: one cycle, so for n >= 2 nobody keeps their own
// latency and every latency is used exactly once (a permutation); n = 1 keeps its own.
std::vector<size_t> latency_donors(size_t n, uint64_t seed, int64_t first);

}  // namespace rp::nas
