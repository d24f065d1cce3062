#pragma once
// SPOS's evolutionary architecture search (Guo et al., ECCV 2020, section 3.4; shared/reference/nas-and-scaling.md
// section 3) under a latency constraint, over a layer-wise space, with some layers frozen (HURRICANE's two stages):
//   generation 0: the `start` architectures (HURRICANE's stage starts from the previous winner), then random ones,
//                 until `population` meet the constraint (a draw that misses it is recorded as infeasible and
//                 drawn again: the population counts feasible architectures only) (active layers uniform, frozen
//                 layers at their frozen op);
//   each later generation: the `parents` fittest feasible architectures seen so far breed `population` children,
//                 half by mutation (every active layer re-drawn with probability `mutation`), half by crossover
//                 (every active layer from either of two parents); a child that repeats an architecture already
//                 seen is dropped and drawn again; one that misses the constraint is recorded as infeasible and
//                 never scored or bred from.
// Every draw comes from one std::mt19937_64(seed), and fitness is asked for a whole generation at once (in order),
// so the search is the same for a seed whether fitness runs serially, in --jobs workers or on MPI ranks.
// Frozen layers are never changed: every architecture returned has arch[i] == frozen[i] where !active[i].
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "simulator/error.h"

namespace rp::hurricane {

using Arch = std::vector<int>;  // per layer, the index of its op among the layer's choices

struct EaOptions {
  int population = 50;
  int generations = 20;   // generation 0 included: population x generations architectures at most
  int parents = 10;       // top-k of the feasible architectures seen so far
  double mutation = 0.1;  // per active layer
  uint64_t seed = 1;
  int max_draws = 200;  // draws per wanted architecture before a generation is cut short (tiny spaces)
};

struct EaProblem {
  std::vector<int> choices;  // per layer: number of ops (>= 1)
  std::vector<char> active;  // per layer: 1 searched, 0 frozen
  Arch frozen;               // per layer: the op of a frozen layer (ignored where active)
  std::vector<Arch> start;   // drawn first in generation 0 (each must agree with `frozen` where frozen)
  double latency_limit_ms = 0;
  std::function<double(const Arch&)> latency_ms;                         // cheap (simulated, memoized)
  std::function<std::vector<double>(const std::vector<Arch>&)> fitness;  // in order; higher is better
  // Called after each generation (progress, journals): the generation index and its candidates.
  std::function<void(int generation, int done, int total)> on_generation;
  StopCheck stop;  // polled before every generation
};

struct Candidate {
  Arch arch;
  int generation = 0;
  double latency_ms = 0;
  bool feasible = false;
  double fitness = 0;  // NaN when infeasible (never scored)
};

struct EaResult {
  std::vector<Candidate> candidates;  // every architecture drawn, in draw order
  bool found = false;                 // some architecture met the constraint
  Candidate best;                     // the fittest feasible one (earliest on ties); meaningless if !found
};

// UsageError on inconsistent options (population < 2, parents < 1 or > population, mutation outside [0, 1], sizes
// of choices / active / frozen that differ, a frozen index out of range, a start architecture out of range or
// off `frozen`).
EaResult evolve(const EaProblem& p, const EaOptions& o);

}  // namespace rp::hurricane
