#include "experiments/kinds/codesign/codesign_search.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace rp::codesign {

int64_t encode(const Genome& g, const std::vector<int64_t>& sizes) {
  int64_t index = 0;
  for (size_t k = 0; k < sizes.size(); ++k) index = index * sizes[k] + g[k];
  return index;
}

Genome decode(int64_t index, const std::vector<int64_t>& sizes) {
  Genome g(sizes.size());
  for (size_t k = sizes.size(); k-- > 0;) {
    g[k] = index % sizes[k];
    index /= sizes[k];
  }
  return g;
}

int64_t space_size(const std::vector<int64_t>& sizes) {
  constexpr int64_t kMax = int64_t{1} << 62;
  int64_t n = 1;
  for (int64_t s : sizes) {
    if (s < 1 || n > kMax / s) return -1;
    n *= s;
  }
  return n;
}

namespace {

class Evolution {
 public:
  Evolution(const std::vector<int64_t>& sizes, const EvolutionOptions& o, const BatchObjective& fitness)
      : sizes_(sizes), o_(o), fitness_(fitness), rng_(o.seed) {}

  SearchResult run() {
    std::vector<int64_t> population = evaluate_new(initial());
    for (int64_t g = 0; g < o_.generations; ++g) {
      std::vector<Genome> children;
      for (int64_t c = 0; c < o_.population; ++c) children.push_back(mutate(decode(tournament(population), sizes_)));
      std::vector<int64_t> merged = population;
      for (int64_t i : evaluate_new(children)) merged.push_back(i);
      population = fittest(merged);
    }
    SearchResult r;
    r.evaluated = order_;
    const int64_t best = fittest(order_).front();
    r.best = decode(best, sizes_);
    r.best_fitness = seen_.at(best);
    return r;
  }

 private:
  int64_t draw(int64_t n) { return static_cast<int64_t>(rng_() % static_cast<uint64_t>(n)); }

  std::vector<Genome> initial() {
    std::vector<Genome> out;
    for (int64_t i = 0; i < o_.population; ++i) {
      Genome g(sizes_.size());
      for (size_t k = 0; k < sizes_.size(); ++k) g[k] = draw(sizes_[k]);
      out.push_back(g);
    }
    return out;
  }

  // The fittest of `tournament` members drawn with replacement.
  int64_t tournament(const std::vector<int64_t>& population) {
    int64_t best = population[static_cast<size_t>(draw(static_cast<int64_t>(population.size())))];
    for (int64_t t = 1; t < o_.tournament; ++t) {
      const int64_t other = population[static_cast<size_t>(draw(static_cast<int64_t>(population.size())))];
      if (better(other, best)) best = other;
    }
    return best;
  }

  Genome mutate(Genome g) {
    const size_t keys = sizes_.size();
    const size_t moved = static_cast<size_t>(draw(static_cast<int64_t>(keys)));
    for (size_t k = 0; k < keys; ++k) {
      if (sizes_[k] < 2) continue;
      if (k == moved) {
        if (draw(2) == 0) {
          const int64_t step = draw(2) == 0 ? -1 : 1;
          int64_t v = g[k] + step;
          if (v < 0 || v >= sizes_[k]) v = g[k] - step;  // reflect at the ends
          g[k] = v;
        } else {
          g[k] = draw(sizes_[k]);
        }
      } else if (draw(static_cast<int64_t>(keys)) == 0) {
        g[k] = draw(sizes_[k]);
      }
    }
    return g;
  }

  // The indices of `batch`, each evaluated once: genomes not seen before go to the objective together.
  std::vector<int64_t> evaluate_new(const std::vector<Genome>& batch) {
    std::vector<int64_t> indices;
    std::vector<Genome> fresh;
    for (const Genome& g : batch) {
      const int64_t i = encode(g, sizes_);
      indices.push_back(i);
      if (seen_.count(i) || std::find(fresh.begin(), fresh.end(), g) != fresh.end()) continue;
      fresh.push_back(g);
    }
    if (!fresh.empty()) {
      const std::vector<double> f = fitness_(fresh);
      for (size_t j = 0; j < fresh.size(); ++j) {
        const int64_t i = encode(fresh[j], sizes_);
        seen_[i] = j < f.size() && !std::isnan(f[j]) ? f[j] : INFINITY;
        order_.push_back(i);
      }
    }
    return indices;
  }

  bool better(int64_t a, int64_t b) const {
    const double fa = seen_.at(a), fb = seen_.at(b);
    return fa < fb || (fa == fb && a < b);
  }

  // The distinct members of `pool`, fittest first, at most `population` of them.
  std::vector<int64_t> fittest(std::vector<int64_t> pool) const {
    std::sort(pool.begin(), pool.end(), [&](int64_t a, int64_t b) { return better(a, b); });
    pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
    if (static_cast<int64_t>(pool.size()) > o_.population) pool.resize(static_cast<size_t>(o_.population));
    return pool;
  }

  const std::vector<int64_t>& sizes_;
  const EvolutionOptions& o_;
  const BatchObjective& fitness_;
  std::mt19937_64 rng_;
  std::map<int64_t, double> seen_;
  std::vector<int64_t> order_;
};

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool strictly = false;
  for (size_t k = 0; k < a.size(); ++k) {
    if (a[k] > b[k]) return false;
    if (a[k] < b[k]) strictly = true;
  }
  return strictly;
}

bool has_nan(const std::vector<double>& p) {
  return std::any_of(p.begin(), p.end(), [](double v) { return std::isnan(v); });
}

}  // namespace

SearchResult evolve(const std::vector<int64_t>& sizes, const EvolutionOptions& options, const BatchObjective& fitness) {
  return Evolution(sizes, options, fitness).run();
}

std::vector<size_t> pareto_front(const std::vector<std::vector<double>>& points) {
  std::vector<size_t> front;
  for (size_t i = 0; i < points.size(); ++i) {
    if (has_nan(points[i])) continue;
    bool dominated = false;
    for (size_t j = 0; j < points.size() && !dominated; ++j) {
      dominated = j != i && !has_nan(points[j]) && dominates(points[j], points[i]);
    }
    if (!dominated) front.push_back(i);
  }
  return front;
}

}  // namespace rp::codesign
