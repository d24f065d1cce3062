#pragma once
// What a `kind: hurricane` run writes (docs/hurricane.md):
//   OUTPUT (HDF5):  /space   one row per (layer, op): rank, score, latency_ms, mflops, mparams, kept, exploring
//                   /stage1, /stage2   every candidate the search drew: generation, arch (op names), latency_ms,
//                                      supernet_accuracy (NaN when infeasible: never scored), feasible
//                   /result  one row per reported architecture: a_win0, a_win1, (a_win2), with latency, supernet
//                            accuracy and, for the winner, the retrained accuracies
//                   root attributes: the experiment, the accelerator config, accuracy_source, figures (space
//                   generation seconds, supernet images/s, EA candidates/min), tool_version
//   OUTPUT minus .h5 + ".winner.yaml": the winner as a network file that `ridgepoint simulate` accepts.
// Both are written atomically; the winner YAML first and the HDF5 last, so an output file means the run finished.
#include <cmath>
#include <string>
#include <vector>

#include "experiments/kinds/hurricane/fitness_cache.h"
#include "experiments/kinds/hurricane/fitness_job.h"
#include "experiments/kinds/hurricane/hurricane_experiment.h"
#include "nas/hurricane/search/evolution.h"
#include "nas/hurricane/space/space_gen.h"

namespace rp::hurricane {

struct StageOutcome {
  int stage = 1;
  std::vector<char> active;
  EaResult ea;
  int64_t train_images = 0;     // supernet training images of this stage (resumed ones included)
  double train_seconds = 0;     // this run's training time
  double images_per_s = 0;      // this run's supernet training rate (0 when nothing was left to train)
  double search_seconds = 0;    // the evolutionary search's wall time in this run
  int64_t scored_now = 0;       // candidates scored in this run (the rest came from the journal)
};

struct Reported {
  std::string label;            // "a_win0", "a_win1", "a_win2"
  Arch arch;
  double latency_ms = 0;
  double supernet_accuracy = NAN;
  double retrain_val_accuracy = NAN, retrain_test_accuracy = NAN;
  int64_t macs = 0, params = 0; // ImageNet-scale network, MACs per image
};

struct HurricaneOutcome {
  HwSpace space;
  std::vector<StageOutcome> stages;
  std::vector<Reported> reported;  // the last one is the winner
  std::string accelerator_yaml, version;
};

std::string winner_yaml_path(const std::string& output);
void write_winner_yaml(const HurricaneExperiment& e, const HurricaneOutcome& o);
void write_hurricane_h5(const HurricaneExperiment& e, const HurricaneOutcome& o);

}  // namespace rp::hurricane
