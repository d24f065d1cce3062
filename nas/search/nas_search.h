#pragma once
// The hardware-aware architecture search of MnasNet / EfficientNet-X (docs/nas.md), as a method: the controller
// proposes rounds of architectures; each is simulated at ImageNet scale on the target accelerator (through the
// memoized evaluator) and, when feasible, rated by the accuracy source (a repeat of an architecture reuses its
// accuracy: ratings are deterministic); the reward goes back to the controller.
// No file I/O and no plumbing: the caller rates accuracy in batches wherever it likes (in process, --jobs workers,
// MPI ranks), observes each finished sample (journal, progress), and resumes a run by handing in the samples an
// earlier run finished: the controller is replayed with their rewards (same proposals, same updates), so only the
// missing samples are rated and the table equals an uninterrupted run's.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "accel_models/evaluate.h"
#include "nas/controller/controller.h"
#include "nas/reward/reward.h"
#include "nas/space/search_space.h"
#include "simulator/error.h"
#include "simulator/record.h"

namespace rp::nas {

struct Sample {
  int64_t step = 0;
  std::string arch;  // canonical text
  bool feasible = true;
  std::string reason;     // why infeasible
  double latency_ms = 0;  // 0 when infeasible
  double accuracy = 0;    // the accuracy source's rating in [0, 1]; 0 when infeasible (not rated)
  double reward = 0;
  int64_t macs = 0, params = 0;  // ImageNet-scale network (MACs per image)
  bool rated_now = false;        // not recorded: rated in this run (false: from the journal or a repeat)
  std::string accuracy_source;   // where the accuracy came from (NasProblem::accuracy_source)
};
// The columns of /samples and of a journal line: step, arch, latency_ms, accuracy, reward, macs, params, feasible,
// reason, accuracy_source.
void sample_columns(Columns& c, Sample& s);

// An accuracy source's answer for one architecture: its accuracy in [0, 1], or why there is none (a failed external
// trial, a miss in a table): the sample is then infeasible with that reason.
struct Rating {
  double accuracy = 0;
  std::string failure;  // empty: rated
};

struct NasProblem {
  const SearchSpace* space = nullptr;
  Controller* controller = nullptr;
  int round = 4;                          // architectures per controller round (the controller's own setting)
  accel::Evaluator* evaluator = nullptr;  // the accelerator at the search's batch
  int resolution = 224;
  int64_t batch = 128;
  RewardSpec reward;  // with its control: under shuffled-latency each feasible candidate's reward uses the latency
                      // of another candidate of its round (latency_donors); Sample::latency_ms stays its own
  int64_t samples = 0;
  // The rating of each architecture (canonical text), in order; called once per round with the distinct
  // architectures not rated before.
  std::function<std::vector<Rating>(const std::vector<std::string>& archs)> accuracy;
  std::map<int64_t, Sample> known;               // samples an earlier run finished, by step
  std::function<void(const Sample&)> on_sample;  // each new sample once finished (journal, progress)
  int64_t budget = -1;                           // new samples this call may add (-1: no limit)
  StopCheck stop;
  std::string accuracy_source = "proxy";  // recorded in every sample (docs/accuracy.md)
};

struct NasOutcome {
  std::vector<Sample> table;  // every sample in step order (complete runs only)
  bool complete = false;      // false: stopped by the budget
  int64_t resumed = 0, rated = 0, reused = 0, infeasible = 0;
};

// UsageError when a known sample's architecture is not the one the replayed controller proposes (a journal of
// another build or space).
NasOutcome search(const NasProblem& p);

// The ImageNet-scale network of an architecture on `evaluator` (memoized by its canonical text).
const accel::Outcome& evaluate_arch(accel::Evaluator& evaluator, const SearchSpace& space, const Choices& c,
                                    int resolution, int64_t batch);

}  // namespace rp::nas
