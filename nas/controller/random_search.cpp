#include <random>

#include "nas/controller/controller.h"
#include "simulator/error.h"

namespace rp::nas {
namespace {

class RandomSearch : public Controller {
 public:
  RandomSearch(std::vector<int> sizes, uint64_t seed) : sizes_(std::move(sizes)), rng_(seed) {}

  std::vector<Choices> propose(int n) override {
    std::vector<Choices> out;
    for (int i = 0; i < n; ++i) {
      Choices c(sizes_.size());
      // Inverse transform of a 64-bit draw (not std::uniform_int_distribution, whose algorithm is unspecified).
      for (size_t d = 0; d < sizes_.size(); ++d) c[d] = static_cast<int>(rng_() % static_cast<uint64_t>(sizes_[d]));
      out.push_back(std::move(c));
    }
    return out;
  }
  void feedback(const std::vector<Choices>&, const std::vector<double>&) override {}
  std::string name() const override { return "random"; }

 private:
  std::vector<int> sizes_;
  std::mt19937_64 rng_;
};

}  // namespace

std::unique_ptr<Controller> make_random_search(const std::vector<int>& sizes, uint64_t seed) {
  return std::make_unique<RandomSearch>(sizes, seed);
}

std::vector<int> decision_sizes(const SearchSpace& space) {
  std::vector<int> s;
  for (const auto& d : space.decisions) s.push_back(static_cast<int>(d.labels.size()));
  return s;
}

}  // namespace rp::nas
