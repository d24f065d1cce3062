#pragma once
// The search methods of `kind: codesign` (docs/codesign.md), free of files and of the simulator: a hardware point is
// a genome, one index per hardware key into that key's values; the methods see only the sizes of the keys and an
// objective callback, so they are tested on synthetic objectives (tests/experiments/codesign_search_test.cpp).
#include <cstdint>
#include <functional>
#include <vector>

namespace rp::codesign {

using Genome = std::vector<int64_t>;  // one index per key, each in [0, sizes[k])

// The mixed-radix index of a genome over `sizes` (last key fastest, as a sweep's grid) and back. The caller keeps
// the product of sizes below 2^62 (space_size).
int64_t encode(const Genome& g, const std::vector<int64_t>& sizes);
Genome decode(int64_t index, const std::vector<int64_t>& sizes);
// The number of points of the space, or -1 when it exceeds 2^62.
int64_t space_size(const std::vector<int64_t>& sizes);

// Fitness of each genome of a batch, to minimize (infinity: infeasible). Called with genomes never asked before,
// a whole generation at once so the caller may evaluate them in parallel. It may throw to stop the search (the
// exception passes through evolve()).
using BatchObjective = std::function<std::vector<double>(const std::vector<Genome>&)>;

struct EvolutionOptions {
  int64_t population = 16;   // genomes kept (and children made) per generation
  int64_t generations = 10;  // generations after the random initial population
  int64_t tournament = 2;    // genomes drawn per parent choice; the fittest of them is the parent
  uint64_t seed = 1;
};

struct SearchResult {
  Genome best;  // the fittest genome evaluated (ties: the lowest index)
  double best_fitness = 0;
  std::vector<int64_t> evaluated;  // every genome's index, in the order first evaluated (no repeats)
};

// (mu + lambda) evolution with tournament selection and mutation: a random population; each generation makes
// `population` children, each a tournament winner with one key moved (half the time to a neighbouring index, else
// to a uniformly drawn one) and every other key redrawn with probability 1 / keys; the next population is the
// fittest `population` of parents and children (ties: the lower index). A child equal to a genome already evaluated
// is not evaluated again. Deterministic for a seed and objective (std::mt19937_64, draws by modulo); at most
// population x (generations + 1) evaluations, fewer when the space is smaller.
SearchResult evolve(const std::vector<int64_t>& sizes, const EvolutionOptions& options, const BatchObjective& fitness);

// The indices of the points no other point dominates (every objective minimized; a point dominates another when it
// is no worse in every objective and better in one), in input order; equal points are all kept. A point with a
// NaN objective is neither kept nor dominates.
std::vector<size_t> pareto_front(const std::vector<std::vector<double>>& points);

}  // namespace rp::codesign
