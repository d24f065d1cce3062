#pragma once
// Runs a `kind: nas` experiment: the controller proposes rounds of architectures; each is simulated at ImageNet
// scale on the target accelerator (memoized) and, when feasible, its proxy is trained on Fashion-MNIST (a repeat
// of an architecture reuses its accuracy: training is deterministic); the reward goes back to the controller.
// Resumable: finished samples are journaled; a rerun replays the controller with the journaled rewards (same
// proposals, same updates), trains only what is missing and writes the same table as an uninterrupted run.
// --jobs N trains a round's candidates in N forked workers, and under `mpirun -np N` ranks 1..N-1 train them
// (the table depends on neither: the round size is the controller's, not the worker count).
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "experiments/kinds/nas/nas_experiment.h"
#include "nas/train/fashion_mnist.h"

namespace rp::nas {

struct NasRunOptions {
  int jobs = 1;              // forked training workers (ignored under MPI)
  int rank = 0, ranks = 1;   // MPI position: rank 0 searches, ranks 1..N-1 train
  int64_t max_samples = -1;  // stop after this many new samples (-1: no limit); rerun to continue
  bool fresh = false;        // discard the journal and output of an earlier run
  std::string dataset_dir = FashionMnist::kDefaultDir;
  int threads = 1;           // LibTorch intra-op threads per training
  double proxy_width = 0.25; // nas/space/proxy_network.h
  std::string version;
};

struct NasSummary {
  int64_t total = 0, resumed = 0, trained = 0, reused = 0, infeasible = 0;
  bool complete = false;
  std::vector<std::string> best_files;
};

NasSummary run_nas(const NasExperiment& e, const NasRunOptions& o, std::ostream& log);

}  // namespace rp::nas
