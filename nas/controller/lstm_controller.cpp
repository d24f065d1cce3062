// The REINFORCE LSTM controller (see controller.h). The only controller file that includes LibTorch.
#include <torch/torch.h>

#include <cmath>
#include <random>

#include "nas/controller/controller.h"
#include "simulator/error.h"

namespace rp::nas {
namespace {

struct PolicyImpl : torch::nn::Module {
  PolicyImpl(const std::vector<int>& sizes, int hidden) {
    start = register_parameter("start", torch::zeros({1, hidden}));
    cell = register_module("cell", torch::nn::LSTMCell(hidden, hidden));
    for (size_t d = 0; d < sizes.size(); ++d) {
      embed.push_back(register_module("embed" + std::to_string(d), torch::nn::Embedding(sizes[d], hidden)));
      heads.push_back(register_module("head" + std::to_string(d), torch::nn::Linear(hidden, sizes[d])));
    }
  }
  torch::Tensor start;
  torch::nn::LSTMCell cell{nullptr};
  std::vector<torch::nn::Embedding> embed;
  std::vector<torch::nn::Linear> heads;
};
TORCH_MODULE(Policy);

class LstmController : public Controller {
 public:
  LstmController(std::vector<int> sizes, const ControllerOptions& o)
      : sizes_(std::move(sizes)),
        o_(o),
        rng_(o.seed),
        policy_(sizes_, o.hidden),
        opt_(policy_->parameters(), torch::optim::AdamOptions(o.lr)) {
    if (sizes_.empty()) throw UsageError("rl controller: the space has no decisions");
    // NASNet: weights uniform in [-0.1, 0.1], here drawn from the controller's own generator.
    torch::NoGradGuard no_grad;
    std::mt19937_64 init(o.seed ^ 0x9E3779B97F4A7C15ull);
    for (auto& p : policy_->parameters()) {
      float* v = p.data_ptr<float>();
      for (int64_t i = 0; i < p.numel(); ++i) {
        const double u = static_cast<double>(init() >> 11) * 0x1.0p-53;  // uniform [0, 1)
        v[i] = static_cast<float>((2.0 * u - 1) * 0.1);
      }
    }
  }

  std::vector<Choices> propose(int n) override {
    at::set_num_threads(1);
    torch::NoGradGuard no_grad;
    std::vector<Choices> out(static_cast<size_t>(n), Choices(sizes_.size()));
    run(n, [&](size_t d, const torch::Tensor& logp) {
      const torch::Tensor p = logp.exp().to(torch::kFloat64).contiguous();
      const double* pp = p.data_ptr<double>();
      std::vector<int64_t> pick(static_cast<size_t>(n));
      for (int b = 0; b < n; ++b) {
        const double r = static_cast<double>(rng_() >> 11) * 0x1.0p-53;  // uniform [0, 1)
        double acc = 0;
        int k = sizes_[d] - 1;
        for (int j = 0; j < sizes_[d]; ++j) {
          acc += pp[b * sizes_[d] + j];
          if (r < acc) {
            k = j;
            break;
          }
        }
        out[static_cast<size_t>(b)][d] = k;
        pick[static_cast<size_t>(b)] = k;
      }
      return torch::tensor(pick, torch::kInt64);
    });
    return out;
  }

  void feedback(const std::vector<Choices>& archs, const std::vector<double>& rewards) override {
    if (archs.empty()) return;
    at::set_num_threads(1);
    const int n = static_cast<int>(archs.size());
    torch::Tensor logp_sum = torch::zeros({n});
    torch::Tensor entropy = torch::zeros({n});
    run(n, [&](size_t d, const torch::Tensor& logp) {
      std::vector<int64_t> a(static_cast<size_t>(n));
      for (int b = 0; b < n; ++b) a[static_cast<size_t>(b)] = archs[static_cast<size_t>(b)][d];
      const torch::Tensor at = torch::tensor(a, torch::kInt64);
      logp_sum = logp_sum + logp.gather(1, at.unsqueeze(1)).squeeze(1);
      entropy = entropy - (logp.exp() * logp).sum(1);
      return at;
    });
    double mean = 0;
    for (double r : rewards) mean += r;
    mean /= n;
    if (!baseline_set_) {
      baseline_ = mean;
      baseline_set_ = true;
    }
    std::vector<float> adv;
    for (double r : rewards) adv.push_back(static_cast<float>(r - baseline_));
    const torch::Tensor advantage = torch::tensor(adv);
    const torch::Tensor loss =
        -(advantage * logp_sum).mean() - o_.entropy_weight * entropy.mean() / static_cast<double>(sizes_.size());
    opt_.zero_grad();
    loss.backward();
    opt_.step();
    baseline_ = o_.baseline_decay * baseline_ + (1 - o_.baseline_decay) * mean;
  }

  std::string name() const override { return "rl"; }

 private:
  // Runs the LSTM over the decisions for a batch of n; `choose(d, log_probs n x options)` returns the n chosen
  // option indices, which are fed to the next step.
  template <class Choose>
  void run(int n, Choose&& choose) {
    torch::Tensor h = torch::zeros({n, o_.hidden}), c = torch::zeros({n, o_.hidden});
    torch::Tensor x = policy_->start.expand({n, o_.hidden});
    for (size_t d = 0; d < sizes_.size(); ++d) {
      std::tie(h, c) = policy_->cell->forward(x, std::make_tuple(h, c));
      // ENAS: logits squashed to tanh_constant x tanh(logits / temperature), so no option's probability reaches
      // 0 or 1 and the search keeps exploring the last wrong decisions.
      const torch::Tensor logits = o_.tanh_constant * torch::tanh(policy_->heads[d]->forward(h) / o_.temperature);
      const torch::Tensor logp = torch::log_softmax(logits, 1);
      const torch::Tensor a = choose(d, logp);
      x = policy_->embed[d]->forward(a);
    }
  }

  std::vector<int> sizes_;
  ControllerOptions o_;
  std::mt19937_64 rng_;
  Policy policy_;
  torch::optim::Adam opt_;
  double baseline_ = 0;
  bool baseline_set_ = false;
};

}  // namespace

std::unique_ptr<Controller> make_lstm_controller(const std::vector<int>& sizes, const ControllerOptions& o) {
  if (o.hidden < 1 || o.lr <= 0 || o.round < 1) throw UsageError("rl controller: bad options");
  return std::make_unique<LstmController>(sizes, o);
}

std::unique_ptr<Controller> make_controller(const std::string& method, const std::vector<int>& sizes,
                                            const ControllerOptions& o) {
  if (method == "rl") return make_lstm_controller(sizes, o);
  if (method == "random") return make_random_search(sizes, o.seed);
  throw UsageError("unknown search method '" + method + "' (expected rl or random)");
}

}  // namespace rp::nas
