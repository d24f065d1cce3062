#pragma once
// Runs a `kind: hurricane` experiment (docs/hurricane.md):
//   1. space generation: every op of the pool benchmarked standalone at every learnable layer on the simulated
//      accelerator, top p kept per layer (+ exploring ops); a latency constraint below the fastest architecture of
//      the space is a UsageError before any training;
//   2. stage 1: the SPOS supernet trained with the first t layers frozen to a_win0 (the top-scoring op everywhere)
//      and the last n - t sampled; the evolutionary search over the last n - t layers -> a_win1;
//   3. stage 2 (t > 0): the supernet fine-tuned with the last n - t layers frozen to a_win1 and the first t sampled
//      (stage2_fraction x stage 1's images); the search over the first t layers -> a_win2, the winner;
//   4. optional retraining of the winner from scratch with the proxy trainer; the outputs (hurricane_output.h).
// Latency of every candidate: the whole ImageNet-scale network simulated in process (memoized). Fitness: the
// supernet's accuracy with inherited weights, scored in this process, in --jobs forked workers or on MPI ranks
// 1..N-1 (the same numbers everywhere). Resumable: supernet checkpoints (OUTPUT.stageS.ckpt, written atomically)
// and the fitness journal (OUTPUT.progress.jsonl); a rerun replays the deterministic search and computes only what
// is missing. One run per output (traces/writers/run_lock.h).
#include <cstdint>
#include <iosfwd>
#include <string>

#include "experiments/kinds/hurricane/hurricane_experiment.h"
#include "nas/train/fashion_mnist.h"

namespace rp::hurricane {

struct HurricaneRunOptions {
  int jobs = 1;             // forked fitness workers (ignored under MPI)
  int rank = 0, ranks = 1;  // MPI: rank 0 searches, ranks 1..N-1 score candidates
  bool fresh = false;       // discard the journal, checkpoints and outputs of an earlier run
  std::string dataset_dir = nas::FashionMnist::kDefaultDir;
  int threads = 1;          // LibTorch intra-op threads
  std::string version;
};

struct HurricaneSummary {
  bool complete = false;
  double winner_latency_ms = 0, winner_accuracy = 0;
  std::string winner_yaml;
};

HurricaneSummary run_hurricane(const HurricaneExperiment& e, const HurricaneRunOptions& o, std::ostream& log);

}  // namespace rp::hurricane
