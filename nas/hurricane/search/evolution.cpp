#include "nas/hurricane/search/evolution.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>

#include "simulator/error.h"

namespace rp::hurricane {
namespace {

void validate(const EaProblem& p, const EaOptions& o) {
  if (o.population < 2) throw UsageError("search.population: expected >= 2, got " + std::to_string(o.population));
  if (o.generations < 1) throw UsageError("search.generations: expected >= 1, got " + std::to_string(o.generations));
  if (o.parents < 1 || o.parents > o.population) {
    throw UsageError("search.parents: expected 1..population (" + std::to_string(o.population) + "), got " +
                     std::to_string(o.parents));
  }
  if (!(o.mutation >= 0 && o.mutation <= 1)) throw UsageError("search.mutation: expected a probability in [0, 1]");
  if (o.max_draws < 1) throw UsageError("search.max_draws: expected >= 1");
  const size_t n = p.choices.size();
  if (n == 0 || p.active.size() != n || p.frozen.size() != n) {
    throw UsageError("evolution: choices, active and frozen must have one entry per layer");
  }
  for (size_t i = 0; i < n; ++i) {
    if (p.choices[i] < 1) throw UsageError("evolution: layer " + std::to_string(i) + " has no op");
    if (!p.active[i] && (p.frozen[i] < 0 || p.frozen[i] >= p.choices[i])) {
      throw UsageError("evolution: frozen op of layer " + std::to_string(i) + " out of range");
    }
  }
  for (const Arch& a : p.start) {
    bool ok = a.size() == n;
    for (size_t i = 0; ok && i < n; ++i) {
      ok = a[i] >= 0 && a[i] < p.choices[i] && (p.active[i] || a[i] == p.frozen[i]);
    }
    if (!ok) throw UsageError("evolution: a start architecture is out of range or changes a frozen layer");
  }
}

class Breeder {
 public:
  Breeder(const EaProblem& p, uint64_t seed) : p_(p), rng_(seed) {}

  Arch random() {
    Arch a = p_.frozen;
    for (size_t i = 0; i < a.size(); ++i) {
      if (p_.active[i]) a[i] = pick(p_.choices[i]);
    }
    return a;
  }
  Arch mutate(const Arch& parent, double prob) {
    Arch a = parent;
    std::bernoulli_distribution flip(prob);
    for (size_t i = 0; i < a.size(); ++i) {
      if (p_.active[i] && flip(rng_)) a[i] = pick(p_.choices[i]);
    }
    return a;
  }
  Arch cross(const Arch& x, const Arch& y) {
    Arch a = x;
    std::bernoulli_distribution coin(0.5);
    for (size_t i = 0; i < a.size(); ++i) {
      if (p_.active[i] && coin(rng_)) a[i] = y[i];
    }
    return a;
  }
  size_t index(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  const EaProblem& p_;
  std::mt19937_64 rng_;
};

// The number of distinct architectures the active layers allow (capped, to stop drawing in tiny spaces).
double space_size(const EaProblem& p) {
  double s = 1;
  for (size_t i = 0; i < p.choices.size(); ++i) {
    if (p.active[i]) s = std::min(1e18, s * p.choices[i]);
  }
  return s;
}

}  // namespace

EaResult evolve(const EaProblem& p, const EaOptions& o) {
  validate(p, o);
  Breeder breed(p, o.seed);
  EaResult r;
  std::set<Arch> seen;
  std::vector<size_t> ranked;  // indices of feasible candidates, fittest first (stable: earlier first on ties)
  const double size = space_size(p);
  // Draw `draws` of generation g: a start architecture, a random one, or a child (mutated or crossed).
  const auto draw = [&](int g, int draws, bool mutate) -> Arch {
    if (g == 0 && static_cast<size_t>(draws) < p.start.size()) return p.start[static_cast<size_t>(draws)];
    if (g == 0 || ranked.empty()) return breed.random();
    const size_t top = std::min(ranked.size(), static_cast<size_t>(o.parents));
    const Arch& x = r.candidates[ranked[breed.index(top)]].arch;
    if (mutate) return breed.mutate(x, o.mutation);
    return breed.cross(x, r.candidates[ranked[breed.index(top)]].arch);
  };
  for (int g = 0; g < o.generations && static_cast<double>(seen.size()) < size; ++g) {
    poll(p.stop);
    std::vector<Arch> fresh;
    const int want = o.population;
    for (int draws = 0; static_cast<int>(fresh.size()) < want && draws < want * o.max_draws; ++draws) {
      const Arch a = draw(g, draws, fresh.size() < static_cast<size_t>(want / 2));
      if (!seen.insert(a).second) continue;
      Candidate c;
      c.arch = a;
      c.generation = g;
      c.latency_ms = p.latency_ms(a);
      c.feasible = c.latency_ms <= p.latency_limit_ms;
      c.fitness = std::numeric_limits<double>::quiet_NaN();
      r.candidates.push_back(c);
      if (c.feasible) fresh.push_back(a);
      if (static_cast<double>(seen.size()) >= size) break;
    }
    // Score the generation's feasible newcomers in draw order.
    std::vector<size_t> idx;
    for (size_t i = 0; i < r.candidates.size(); ++i) {
      if (r.candidates[i].generation == g && r.candidates[i].feasible) idx.push_back(i);
    }
    const std::vector<double> fit = fresh.empty() ? std::vector<double>{} : p.fitness(fresh);
    if (fit.size() != fresh.size()) throw std::logic_error("evolution: fitness returned a wrong count");
    for (size_t k = 0; k < idx.size(); ++k) {
      r.candidates[idx[k]].fitness = fit[k];
      ranked.push_back(idx[k]);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&](size_t a, size_t b) { return r.candidates[a].fitness > r.candidates[b].fitness; });
    if (p.on_generation) p.on_generation(g, g + 1, o.generations);
  }
  r.found = !ranked.empty();
  if (r.found) r.best = r.candidates[ranked.front()];
  return r;
}

}  // namespace rp::hurricane
