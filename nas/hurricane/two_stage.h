#pragma once
// HURRICANE's two-stage one-shot search over a generated space (docs/hurricane.md; shared/reference/hurricane.md
// section 3), as a method:
//   1. stage 1: the SPOS supernet (supernet/supernet.h) trained with the first t layers frozen to a_win0 (the
//      top-scoring op of every layer) and the last n - t sampled; the evolutionary search (search/evolution.h) over
//      the last n - t layers under the latency limit -> a_win1;
//   2. stage 2 (t > 0): the supernet fine-tuned with the last n - t layers frozen to a_win1 and the first t sampled
//      (stage2_fraction x stage 1's images, other batches and paths, only the first t layers' ops learning); then
//      the guard: a_win1 scored with the fine-tuned weights, and when that is below its stage-1 fitness, a_win1's
//      ops of the first t layers get back their weights from before the fine-tuning (the alternatives keep theirs),
//      so a_win1's path is stage 1's again and scores what it scored there; the search over the first t layers,
//      starting from a_win1 -> a_win2, whose fitness is therefore at least a_win1's stage-1 fitness;
//   3. a_win0 scored with the final weights; optionally the winner (the last stage's) retrained from scratch by the
//      proxy trainer (validation and test accuracy).
// Latency of every candidate: its ImageNet-scale network simulated through the caller's accel::Evaluator (memoized
// by the architecture's text). No file I/O and no plumbing: the caller scores candidates in batches wherever it
// likes (the supernet's weights come to it as bytes before a stage's candidates are scored), keeps the supernet's
// training checkpoints (bytes) between runs, journals each fitness it is handed, observes progress, and resumes a
// run by handing in the fitnesses an earlier run obtained: training continues from its checkpoint and the
// deterministic search is replayed, so only what is missing is computed and the outcome equals an uninterrupted
// run's. The StopCheck is polled in supernet training (every batch), scoring and every search generation.
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "accel_models/evaluate.h"
#include "nas/hurricane/candidates.h"
#include "nas/hurricane/search/evolution.h"
#include "nas/hurricane/space/space_gen.h"
#include "nas/hurricane/supernet/supernet.h"
#include "simulator/error.h"
#include "simulator/record.h"
#include "traces/data/fashion_mnist.h"

namespace rp::hurricane {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One fitness the search obtained: the journal line. Stages 1, 2: a candidate's supernet accuracy with that stage's
// weights; 0: a_win0's with the final weights; 100 and 101: the winner's retrained validation and test accuracy;
// 102: a_win1's with stage 2's fine-tuned weights before the guard (its decision replays from it on resume).
struct FitnessRecord {
  int stage = 0;
  std::string arch;  // arch_text()
  double fitness = 0;
};
constexpr int kRetrainValStage = 100, kRetrainTestStage = 101, kFineTunedWin1Stage = 102;
// The columns of a journal line: stage, arch, fitness.
void fitness_columns(Columns& c, FitnessRecord& r);

// The journal line of a stage's training state, saved (as bytes) through save_checkpoint: stage, images done.
// Journaled beside the fitnesses, it keeps the journal, and with it the run's identity that guards the checkpoint,
// from the first checkpoint on (before any fitness).
struct CheckpointRecord {
  int stage = 0;
  int64_t images = 0;
};
// The columns of its journal line: stage, images.
void checkpoint_columns(Columns& c, CheckpointRecord& r);

// A row of /stage1 and /stage2: a candidate the search drew.
struct CandidateRow {
  int generation = 0;
  std::string arch;        // op names, comma-separated
  std::string arch_index;  // arch_text()
  double latency_ms = 0;
  double supernet_accuracy = kNaN;  // NaN when infeasible (never scored)
  bool feasible = false;
};
// The columns of /stageN: generation, arch, arch_index, latency_ms, supernet_accuracy, feasible.
void candidate_columns(Columns& c, CandidateRow& r);

// A row of /result: an architecture the search reports (a_win0, a_win1, a_win2; the last is the winner).
struct Reported {
  std::string label;
  std::string arch;  // op names, comma-separated
  double latency_ms = 0;
  double supernet_accuracy = kNaN;
  double retrain_val_accuracy = kNaN, retrain_test_accuracy = kNaN;  // NaN but for a retrained winner
  int64_t macs = 0, params = 0;                                      // ImageNet-scale network, per image
  Arch path;                                                         // not a column: the op index per layer
};
// The columns of /result: label, arch, latency_ms, supernet_accuracy, retrain_val_accuracy, retrain_test_accuracy,
// macs, params.
void reported_columns(Columns& c, Reported& r);

std::string arch_text(const Arch& a);                                                 // "3,0,1,..."
std::string op_names(const HwSpace& s, const Arch& a, const std::string& sep = ",");  // "MB_3_6,SEP_5,..."
Arch fastest_arch(const HwSpace& s);  // every layer's kept op of least standalone latency (the first on ties)

// A stage (or the whole search) that no architecture can meet: what() says why, without naming the setting (the
// caller names it).
class Unmeetable : public UsageError {
 public:
  using UsageError::UsageError;
};

struct TwoStageOptions {
  int t = 8;  // layers searched in stage 2 (the first t); 0: one stage over every layer
  double latency_limit_ms = 0;
  EaOptions search;
  // The supernet, at proxy scale on Fashion-MNIST.
  double width = 0.25;
  int64_t train_images = 10000;  // stage 1 trains epochs x train_images images
  int epochs = 1;
  double stage2_fraction = 0.1;
  uint64_t seed = 1;  // stage s draws with seed + s - 1
  int batch = 64;
  double lr = 2e-3;
  int64_t val_images = 2000, bn_images = 1000;  // fitness
  // Retraining the winner from scratch (nas/train/trainer.h).
  bool retrain = false;
  int64_t retrain_images = 10000;
  int retrain_epochs = 1;
  uint64_t retrain_seed = 1;
  bool retrain_cuda = false;  // retrain.device: cuda (nas::TrainOptions::cuda; the kind checks it first)
  int threads = 1;            // LibTorch intra-op threads
};

// Per stage: what ran and what the search found.
struct StageOutcome {
  int stage = 1;
  std::vector<char> active;  // per layer: 1 searched in this stage
  EaResult ea;
  int64_t train_images = 0;   // supernet training images of this stage (resumed ones included)
  double train_seconds = 0;   // this run's training time
  double images_per_s = 0;    // this run's training rate (0 when nothing was left to train)
  double search_seconds = 0;  // the search's wall time in this run
  int64_t scored_now = 0;     // candidates scored in this run (the rest were handed in as known)
  // Stage 2's guard (when stage 2 trained): a_win1's fitness with stage 1's weights and with the fine-tuned ones,
  // and whether its first t layers' ops were put back to stage 1's weights (fine-tuned < stage 1).
  double win1_stage1 = kNaN, win1_fine_tuned = kNaN;
  bool win1_restored = false;
};
std::vector<CandidateRow> candidate_rows(const HwSpace& s, const StageOutcome& st);

struct TwoStageOutcome {
  std::vector<StageOutcome> stages;
  std::vector<Reported> reported;  // a_win0, a_win1 (, a_win2): the last one is the winner
};

// Progress, observed (every call on the searching process, in order).
class TwoStageObserver {
 public:
  virtual ~TwoStageObserver() = default;
  virtual void training(int stage, int64_t done, int64_t total) = 0;  // after every batch
  virtual void trained(int stage, const SupernetTrainStats& st) = 0;  // when the stage trained at all
  virtual void search_started(int stage) = 0;
  virtual void generation(int stage, int done, int total, int64_t scored_now) = 0;
  virtual void searched(int stage, const StageOutcome& st, const std::string& best_ops) = 0;
  virtual void guarded(const StageOutcome&) {}  // stage 2's guard decided (StageOutcome's win1_* fields)
  virtual void retraining(int64_t images, int epochs) = 0;
};

// Scores `archs` with the weights last handed to on_weights for `stage` (their supernet accuracy) and calls
// done(i, fitness) for each as soon as it is known, in any order; returns when every one is done. `stage` is 1, 2,
// or kFineTunedWin1Stage: stage 2's fine-tuned weights before the guard, with which only a_win1 is scored.
using ScoreBatch =
    std::function<void(int stage, const std::vector<Arch>& archs, const std::function<void(size_t, double)>& done)>;

// What the driver trains and scores a_win0 with: by default the LibTorch supernet on TwoStageProblem::data; a seam
// so that the driver can be tested on a synthetic fitness without training (tests/hurricane/two_stage_test.cpp).
class StageModel {
 public:
  virtual ~StageModel() = default;
  // Trains (stage 1) or fine-tunes (stage 2): supernet.h's Supernet::train contract. The state it keeps between the
  // stages (weights and optimizer) is the model's.
  virtual SupernetTrainStats train(const SupernetTrainOptions& o,
                                   const std::function<void(int64_t done, int64_t total)>& progress) = 0;
  virtual std::string save_weights() const = 0;  // what on_weights hands out
  // Puts back, from save_weights()'s bytes, the weights of op a[l] of every layer l with layers[l] set; every
  // other weight stays (Supernet::restore_ops's contract).
  virtual void restore_ops(const std::string& weights, const Arch& a, const std::vector<char>& layers) = 0;
  // The fitness of `a` with the current weights (Supernet::evaluate's contract).
  virtual double evaluate(const Arch& a, int64_t val_images, int64_t bn_images, int threads, const StopCheck& stop) = 0;
};

struct TwoStageProblem {
  const HwSpace* space = nullptr;
  StageModel* model = nullptr;                         // null: the LibTorch supernet on `data`
  const traces::FashionMnist* data = nullptr;          // needed without a model, and for retraining
  const traces::FashionMnist* retrain_data = nullptr;  // retrain.dataset, another than `data` (null: `data`)
  accel::Evaluator* evaluator = nullptr;               // the target accelerator (candidates' latency)
  int resolution = 224;
  int64_t batch = 128;  // latency batch
  TwoStageOptions options;
  std::vector<FitnessRecord> known;  // fitnesses an earlier run obtained (its journal)
  ScoreBatch fitness;
  std::function<void(const FitnessRecord&)> on_fitness;                 // each new fitness, once
  std::function<void(int stage, const std::string& bytes)> on_weights;  // the stage's trained weights
  // The supernet's training state of a stage, saved (at checkpoints), and loaded to resume (the last one saved).
  std::function<void(const CheckpointRecord& saved, const std::string& bytes)> save_checkpoint;
  std::function<std::optional<std::string>(int stage)> load_checkpoint;
  TwoStageObserver* observer = nullptr;
  StopCheck stop;
};

// The ImageNet-scale latency of `a` (ms; +infinity when it cannot run), memoized in `e` by arch_text(a).
double candidate_latency_ms(accel::Evaluator& e, const Choices& c, const Arch& a, int resolution, int64_t batch);

// The latency of fastest_arch(); Unmeetable when it misses the limit (no architecture of the space can meet it).
double check_meetable(const TwoStageProblem& p);

// Unmeetable (before any training: check_meetable) when no architecture of the space meets the limit, or when a
// stage draws none that does; UsageError from bad options or checkpoints (supernet.h).
TwoStageOutcome two_stage_search(const TwoStageProblem& p);

}  // namespace rp::hurricane
