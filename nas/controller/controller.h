#pragma once
// Search controllers over a factorized space: propose a round of architectures, then learn from their rewards.
// Both are deterministic for a seed (their sampling uses their own std::mt19937_64, never a global generator), so
// a search can be replayed exactly: feeding the same rewards back re-derives the same state (nas/runner resume).
//  - random: every decision uniform, independent; feedback() is ignored.
//  - rl: NASNet / MnasNet's controller: a one-layer LSTM (100 hidden units; input at each step = an embedding of
//    the previous decision's choice, a learned start token first) with one softmax head per decision, trained by
//    REINFORCE with an exponential-moving-average baseline and an entropy bonus, Adam. Weights start uniform in
//    [-0.1, 0.1] (NASNet); logits are squashed as in ENAS (2.5 tanh(l / 5)). LibTorch is used only in
//    lstm_controller.cpp.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nas/space/search_space.h"

namespace rp::nas {

struct ControllerOptions {
  uint64_t seed = 1;
  int hidden = 100;
  // Tuned on the synthetic test reward (tests/nas/controller_test.cpp): with lr 0.005 and baseline decay 0.8 the
  // optimum of the 35-decision space was found after 483 / 263 samples (seeds 1 / 2); with lr 0.01 and NASNet's
  // decay 0.95 after 1601 / 1273; without the logit squashing not within 3000.
  double lr = 0.005;             // Adam
  double entropy_weight = 1e-3;  // bonus on the mean per-decision entropy
  double baseline_decay = 0.8;   // EMA of the rewards (NASNet: 0.95, slower for the small budgets here)
  int round = 4;                 // architectures proposed per round (one REINFORCE update per round)
  double temperature = 5.0;      // ENAS logit squashing: tanh_constant x tanh(logits / temperature)
  double tanh_constant = 2.5;
};

class Controller {
 public:
  virtual ~Controller() = default;
  // The next `n` architectures (n = the options' round in a search; any n for tests).
  virtual std::vector<Choices> propose(int n) = 0;
  // Rewards of the architectures of the last propose(), in the same order.
  virtual void feedback(const std::vector<Choices>& archs, const std::vector<double>& rewards) = 0;
  virtual std::string name() const = 0;
};

// `sizes`: the option count of each decision (SearchSpace::decisions order). Unknown method: UsageError naming it.
// make_controller and make_lstm_controller are in rp_nas_train (LibTorch); make_random_search is not.
std::unique_ptr<Controller> make_controller(const std::string& method, const std::vector<int>& sizes,
                                            const ControllerOptions& o);
std::unique_ptr<Controller> make_random_search(const std::vector<int>& sizes, uint64_t seed);
std::unique_ptr<Controller> make_lstm_controller(const std::vector<int>& sizes, const ControllerOptions& o);

std::vector<int> decision_sizes(const SearchSpace& space);

}  // namespace rp::nas
