// HURRICANE's two-stage driver (nas/hurricane/two_stage.h) on a synthetic fitness: which layers each stage searches
// and freezes, the winners, the fitness journal handed out once per candidate, resuming from that journal and the
// checkpoints without scoring or training again, an unmeetable limit refused before any work, and the StopCheck.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "accel_models/config/accelerator_config.h"
#include "nas/hurricane/two_stage.h"
#include "simulator/error.h"
#include "tests/hurricane/fashion_data.h"

using namespace rp;
using namespace rp::hurricane;

namespace {

constexpr int kLayers = 4, kT = 2;

using rp::test::fashion_mnist;

// A 4-layer space keeping 2 ops per layer (+ an exploring op on the last), ranked with a stand-in latency (FLOPs /
// 10^9 ms) so that building it simulates nothing.
const HwSpace& space() {
  static const HwSpace s = [] {
    SpaceOptions o;
    o.p = 2;
    o.exploring_layers = 1;
    o.pool = {"SEP_3", "MB_3_3", "MB_5_6", "Choice_3"};
    return generate_space(o, traces::default_skeleton(kLayers), 1, traces::DType::kF32,
                          [](const traces::Network& n) { return static_cast<double>(n.flops()) / 1e9; });
  }();
  return s;
}

// The synthetic fitness: 0.1 x the sum of the op indices (higher indices are fitter).
double synthetic(const Arch& a) {
  int sum = 0;
  for (int i : a) sum += i;
  return 0.1 * sum;
}

// The plumbing of a test run: synthetic scoring, a journal and checkpoints in memory, and counts.
struct Harness {
  accel::Evaluator evaluator{accel::AcceleratorConfig::load("v100").build()};
  std::vector<FitnessRecord> journal;
  std::map<int, std::string> checkpoints, weights;
  std::vector<CheckpointRecord> saved;     // checkpoints in order
  std::map<int, std::vector<Arch>> asked;  // stage -> candidates handed to the fitness callback
  int trainings = 0;                       // training progress calls

  struct Observer : TwoStageObserver {
    Harness* h = nullptr;
    void training(int, int64_t, int64_t) override { ++h->trainings; }
    void trained(int, const SupernetTrainStats&) override {}
    void search_started(int) override {}
    void generation(int, int, int, int64_t) override {}
    void searched(int, const StageOutcome&, const std::string&) override {}
    void retraining(int64_t, int) override {}
  } observer;

  TwoStageProblem problem(double limit_ms = 1e9) {
    observer.h = this;
    TwoStageProblem p;
    p.space = &space();
    p.data = &fashion_mnist();
    p.evaluator = &evaluator;
    p.resolution = 224;
    p.batch = 1;
    p.options.t = kT;
    p.options.latency_limit_ms = limit_ms;
    p.options.search.population = 3;
    p.options.search.generations = 2;
    p.options.search.parents = 2;
    p.options.train_images = 128;  // stage 1: 2 batches of 64; stage 2: 0.5 x 128 = 1 batch
    p.options.stage2_fraction = 0.5;
    p.options.val_images = 50;
    p.options.bn_images = 50;
    p.fitness = [this](int stage, const std::vector<Arch>& archs, const std::function<void(size_t, double)>& done) {
      for (size_t i = archs.size(); i-- > 0;) {  // replies out of order, as a pool's may come
        asked[stage].push_back(archs[i]);
        done(i, synthetic(archs[i]));
      }
    };
    p.on_fitness = [this](const FitnessRecord& r) { journal.push_back(r); };
    p.on_weights = [this](int stage, const std::string& b) { weights[stage] = b; };
    p.save_checkpoint = [this](const CheckpointRecord& r, const std::string& b) {
      checkpoints[r.stage] = b;
      saved.push_back(r);
    };
    p.load_checkpoint = [this](int stage) -> std::optional<std::string> {
      const auto it = checkpoints.find(stage);
      if (it == checkpoints.end()) return std::nullopt;
      return it->second;
    };
    p.observer = &observer;
    return p;
  }
};

// Every candidate of every stage, as (stage, arch_index, fitness bits, feasible).
std::vector<std::tuple<int, std::string, double, bool>> table(const TwoStageOutcome& o) {
  std::vector<std::tuple<int, std::string, double, bool>> t;
  for (const StageOutcome& st : o.stages) {
    for (const CandidateRow& r : candidate_rows(space(), st)) {
      t.emplace_back(st.stage, r.arch_index, r.supernet_accuracy, r.feasible);
    }
  }
  return t;
}

}  // namespace

TEST_CASE("stage 1 searches the last n - t layers with the first t at a_win0; stage 2 the first t at a_win1",
          "[two_stage]") {
  Harness h;
  const TwoStageOutcome out = two_stage_search(h.problem());
  REQUIRE(out.stages.size() == 2);
  REQUIRE(out.reported.size() == 3);
  CHECK(out.reported[0].label == "a_win0");
  CHECK(out.reported[2].label == "a_win2");
  const Arch a0(kLayers, 0), a1 = out.reported[1].path;
  CHECK(out.reported[0].path == a0);
  CHECK(out.stages[0].active == std::vector<char>{0, 0, 1, 1});
  CHECK(out.stages[1].active == std::vector<char>{1, 1, 0, 0});
  for (const Candidate& c : out.stages[0].ea.candidates) CHECK((c.arch[0] == 0 && c.arch[1] == 0));
  for (const Candidate& c : out.stages[1].ea.candidates) CHECK((c.arch[2] == a1[2] && c.arch[3] == a1[3]));
  // Each stage's winner is its fittest candidate (the first on ties) under the synthetic fitness.
  for (size_t s = 0; s < 2; ++s) {
    const auto& cs = out.stages[s].ea.candidates;
    const Candidate* best = &cs.front();
    for (const Candidate& c : cs) {
      if (synthetic(c.arch) > synthetic(best->arch)) best = &c;
    }
    CHECK(out.reported[s + 1].path == best->arch);
    CHECK(out.reported[s + 1].supernet_accuracy == synthetic(best->arch));
  }
  // Stage 1 trained 128 images, stage 2 0.5 x 128 = 64.
  CHECK(out.stages[0].train_images == 128);
  CHECK(out.stages[1].train_images == 64);
  CHECK(std::isnan(out.reported[2].retrain_val_accuracy));
}

TEST_CASE("each fitness is handed out once, and a_win0 is scored with the last weights handed out", "[two_stage]") {
  Harness h;
  const TwoStageOutcome out = two_stage_search(h.problem());
  std::set<std::pair<int, std::string>> keys;
  for (const FitnessRecord& r : h.journal) CHECK(keys.insert({r.stage, r.arch}).second);
  // Stages 1 and 2: every candidate scored (all feasible under 10^9 ms), plus a_win0 at stage 0 and a_win1 with the
  // fine-tuned weights (the guard's line; the synthetic fitness ignores weights, so the guard keeps them and that
  // score is also a_win1's stage-2 line, not asked for again).
  CHECK(h.journal.size() == out.stages[0].ea.candidates.size() + out.stages[1].ea.candidates.size() + 2);
  CHECK(h.asked[1].size() == out.stages[0].ea.candidates.size());
  CHECK(h.asked[kFineTunedWin1Stage] == std::vector<Arch>{out.reported[1].path});
  CHECK(h.asked[2].size() == out.stages[1].ea.candidates.size() - 1);
  CHECK_FALSE(out.stages[1].win1_restored);
  CHECK(h.weights.size() == 3);  // stages 1, 2 and the fine-tuned weights the guard scored a_win1 with
  CHECK(h.checkpoints.size() == 2);
  REQUIRE(h.saved.size() == 2);  // at the end of each stage's training: 128 and 64 images (5000 between checkpoints)
  CHECK((h.saved[0].stage == 1 && h.saved[0].images == 128 && h.saved[1].stage == 2 && h.saved[1].images == 64));
  Supernet loaded(supernet_spec(space().choices(), 0.25), 99);
  loaded.load_weights(h.weights.at(2), "stage 2 weights");
  const double a0 = loaded.evaluate(Arch(kLayers, 0), fashion_mnist(), 50, 50);
  CHECK(out.reported[0].supernet_accuracy == a0);
  const auto stage0 = [](const FitnessRecord& r) { return r.stage == 0; };
  CHECK(std::find_if(h.journal.begin(), h.journal.end(), stage0)->fitness == a0);
}

TEST_CASE("a resumed search scores and trains only what is missing and finds the same", "[two_stage]") {
  Harness first;
  const TwoStageOutcome whole = two_stage_search(first.problem());

  // Everything known: nothing scored, nothing trained, the same tables and winners.
  Harness again;
  again.checkpoints = first.checkpoints;
  TwoStageProblem p = again.problem();
  p.known = first.journal;
  const TwoStageOutcome resumed = two_stage_search(p);
  CHECK(again.asked.empty());
  CHECK(again.journal.empty());
  CHECK(again.saved.empty());
  CHECK(again.trainings == 0);
  CHECK(table(resumed) == table(whole));
  CHECK(resumed.reported[0].supernet_accuracy == whole.reported[0].supernet_accuracy);
  CHECK(resumed.reported[2].path == whole.reported[2].path);

  // The first half of stage 1's fitnesses known: only the rest is asked for, each once.
  Harness half;
  half.checkpoints = first.checkpoints;
  TwoStageProblem q = half.problem();
  q.known.assign(first.journal.begin(), first.journal.begin() + 3);
  const TwoStageOutcome partly = two_stage_search(q);
  CHECK(table(partly) == table(whole));
  CHECK(half.journal.size() == first.journal.size() - 3);
  for (const FitnessRecord& k : q.known) {
    for (const Arch& a : half.asked[k.stage]) CHECK(arch_text(a) != k.arch);
  }
}

TEST_CASE("a limit below the fastest architecture is refused before any training or scoring", "[two_stage]") {
  Harness h;
  const TwoStageProblem p = h.problem(1e-6);
  CHECK_THROWS_AS(check_meetable(p), Unmeetable);
  CHECK_THROWS_WITH(two_stage_search(p),
                    Catch::Contains("1e-06 ms is below the fastest architecture") && Catch::Contains("on v100"));
  CHECK(h.trainings == 0);
  CHECK(h.asked.empty());
  CHECK(h.checkpoints.empty());
  // At the fastest architecture's own latency the space is meetable.
  const double fastest = candidate_latency_ms(h.evaluator, space().choices(), fastest_arch(space()), 224, 1);
  CHECK(check_meetable(h.problem(fastest)) == fastest);
}

TEST_CASE("the StopCheck stops training, and the search between generations", "[two_stage]") {
  Harness h;
  TwoStageProblem p = h.problem();
  int polls = 0;
  p.stop = [&] {
    if (++polls == 2) throw Interrupted(2);  // the second batch of stage 1
  };
  CHECK_THROWS_AS(two_stage_search(p), Interrupted);
  CHECK(h.trainings == 1);
  CHECK(h.asked.empty());

  Harness g;
  TwoStageProblem q = g.problem();
  q.options.train_images = 64;
  q.options.stage2_fraction = 0;
  int generations = 0;
  q.fitness = [&](int, const std::vector<Arch>& archs, const std::function<void(size_t, double)>& done) {
    ++generations;
    for (size_t i = 0; i < archs.size(); ++i) done(i, synthetic(archs[i]));
  };
  // Polls: 1 training batch of stage 1, then generation 0's; the next (generation 1's) stops it.
  polls = 0;
  q.stop = [&] {
    if (++polls == 3) throw Interrupted(15);
  };
  CHECK_THROWS_AS(two_stage_search(q), Interrupted);
  CHECK(generations == 1);
}

namespace {

// A model that trains nothing (the StageModel seam): its "weights" say whether stage 2 fine-tuned it and whether
// the guard put op 0 of the first t = 2 layers back to stage 1's weights; the fitness of a path depends on them.
// An early layer's op adds 0.05 when it is op 0 with stage 1's weights, and `tuned_bonus` when it is op
// `tuned_preferred` with the fine-tuned weights (0 otherwise):
//   f(a) = 0.1 x (a[2] + a[3]) + the early layers' additions.
// With tuned_preferred = 1 (the default) the fine-tuning moves the first t layers' preference away from a_win0's
// op 0, so stage 2 must change what stage 1 left there, and it lowers a_win1's fitness, so the guard must act.
struct FineTuneFlipModel : StageModel {
  std::vector<SupernetTrainOptions> calls;  // every train() call, in order
  int tuned_preferred = 1;
  double tuned_bonus = 0.06;
  std::vector<Arch> restored;  // every restore_ops() call's path

  // The fitness with `weights` as save_weights() gives them.
  double fitness(const std::string& weights, const Arch& a) const {
    double f = 0.1 * (a[2] + a[3]);
    for (int l = 0; l < 2; ++l) {
      const bool stage1 = weights == "stage 1" || (weights == "fine-tuned, op 0 restored" && a[l] == 0);
      f += stage1 ? (a[l] == 0 ? 0.05 : 0) : (a[l] == tuned_preferred ? tuned_bonus : 0);
    }
    return f;
  }
  SupernetTrainStats train(const SupernetTrainOptions& o, const std::function<void(int64_t, int64_t)>&) override {
    calls.push_back(o);
    SupernetTrainStats st;
    st.images_done = o.images;
    return st;
  }
  std::string save_weights() const override {
    if (calls.size() < 2) return "stage 1";  // the second call is stage 2's fine-tuning
    return restored.empty() ? "fine-tuned" : "fine-tuned, op 0 restored";
  }
  void restore_ops(const std::string& w, const Arch& a, const std::vector<char>& layers) override {
    CHECK(w == "stage 1");
    CHECK(layers == std::vector<char>{1, 1, 0, 0});
    CHECK((a[0] == 0 && a[1] == 0));  // what save_weights() names
    restored.push_back(a);
  }
  double evaluate(const Arch& a, int64_t, int64_t, int, const StopCheck&) override {
    return fitness(save_weights(), a);
  }
};

// The run on FineTuneFlipModel: candidates scored with the weights last handed out, as the workers do.
TwoStageOutcome flip_search(FineTuneFlipModel& model, Harness& h, int t, int population) {
  TwoStageProblem p = h.problem();
  p.data = nullptr;  // nothing trains or loads data
  p.model = &model;
  p.options.t = t;
  p.options.search.population = population;
  p.options.search.parents = 2;
  p.fitness = [&h, &model](int stage, const std::vector<Arch>& archs, const std::function<void(size_t, double)>& done) {
    for (size_t i = 0; i < archs.size(); ++i) done(i, model.fitness(h.weights.at(stage), archs[i]));
  };
  return two_stage_search(p);
}

}  // namespace

TEST_CASE("stage 2 changes the first t layers when the fine-tuned weights prefer other ops there", "[two_stage]") {
  // The space: layers 0-2 keep 2 ops, layer 3 (exploring) 3. Stage 1 searches layers 2, 3 (2 x 3 = 6
  // architectures), stage 2 layers 0, 1 (2 x 2 = 4); a population of 4 over 2 generations draws every one of them,
  // so each stage's winner is its exact optimum (derived by hand from f above):
  //   stage 1 (layers 0, 1 at a_win0's op 0, stage-1 weights): a[2] = 1, a[3] = 2 -> a_win1 = 0,0,1,2, f = 0.4;
  //   a_win1 with the fine-tuned weights: 0.3 + 0 + 0 = 0.3 < 0.4, so the guard puts op 0 of layers 0, 1 back;
  //   stage 2 (layers 2, 3 at 1, 2; op 0 at stage 1's weights, op 1 fine-tuned): 0,0 -> 0.3 + 0.05 + 0.05 = 0.4
  //   (a_win1 scores its stage-1 fitness again), 0,1 and 1,0 -> 0.41, 1,1 -> 0.3 + 0.06 + 0.06 = 0.42
  //   -> a_win2 = 1,1,1,2 (so stage 2 had to move); a_win0 = 0,0,0,0 with the final weights: 0.05 + 0.05 = 0.1.
  FineTuneFlipModel model;
  Harness h;
  const TwoStageOutcome out = flip_search(model, h, kT, 4);
  REQUIRE(out.stages.size() == 2);
  CHECK(out.stages[0].ea.candidates.size() == 6);
  CHECK(out.stages[1].ea.candidates.size() == 4);
  REQUIRE(out.reported.size() == 3);
  CHECK(out.reported[1].path == Arch{0, 0, 1, 2});
  CHECK(out.reported[1].supernet_accuracy == Approx(0.4));
  CHECK(out.reported[2].path == Arch{1, 1, 1, 2});
  CHECK(out.reported[2].supernet_accuracy == Approx(0.42));
  CHECK(out.reported[2].path != out.reported[1].path);
  CHECK(out.reported[0].supernet_accuracy == Approx(0.1));
  // The guard: a_win1 scored 0.3 with the fine-tuned weights, below its 0.4, so its ops were put back once.
  CHECK(out.stages[1].win1_stage1 == Approx(0.4));
  CHECK(out.stages[1].win1_fine_tuned == Approx(0.3));
  CHECK(out.stages[1].win1_restored);
  CHECK(model.restored.size() == 1);
  // Stage 2 started from a_win1 (its first candidate), scored with the guarded weights: its stage-1 fitness.
  CHECK(out.stages[1].ea.candidates.front().arch == out.reported[1].path);
  CHECK(out.stages[1].ea.candidates.front().fitness == Approx(0.4));
  CHECK(out.stages[1].ea.candidates.front().fitness >= out.reported[1].supernet_accuracy);
  // The model trained stage 1 with layers 0, 1 at a_win0 and fine-tuned stage 2 with layers 2, 3 at a_win1.
  REQUIRE(model.calls.size() == 2);
  CHECK(model.calls[0].active == std::vector<char>{0, 0, 1, 1});
  CHECK(model.calls[0].fixed == Arch{0, 0, 0, 0});
  CHECK(model.calls[1].active == std::vector<char>{1, 1, 0, 0});
  CHECK(model.calls[1].fixed == Arch{0, 0, 1, 2});
  CHECK(model.calls[1].images == 64);               // stage2_fraction 0.5 x 128
  CHECK_FALSE(model.calls[0].only_active_weights);  // stage 1 trains a_win0's ops of the first t layers too
  CHECK(model.calls[1].only_active_weights);        // stage 2 leaves what stage 1 trained and fixed as it is

  // The one-stage baseline (t = 0) never fine-tunes: even drawing all 2 x 2 x 2 x 3 = 24 architectures it picks the
  // stage-1 optimum 0,0,1,2 (f = 0.4 > 0.3 for 1,1,1,2), not the fine-tuned optimum.
  FineTuneFlipModel one;
  Harness g;
  const TwoStageOutcome base = flip_search(one, g, 0, 24);
  REQUIRE(base.stages.size() == 1);
  CHECK(base.stages[0].ea.candidates.size() == 24);
  CHECK(base.reported.back().path == Arch{0, 0, 1, 2});
  CHECK(base.reported.back().path != out.reported[2].path);
}

TEST_CASE("stage 2's guard keeps the fine-tuned weights when they do not lower a_win1", "[two_stage]") {
  // The fine-tuning prefers op 0 too (tuned_bonus 0.06 > stage 1's 0.05): a_win1 = 0,0,1,2 scores 0.3 + 0.12 = 0.42
  // >= 0.4 with the fine-tuned weights, so nothing is put back, and stage 2 keeps a_win1 (0,1 and 1,0 score 0.36,
  // 1,1 0.3): a_win2 = a_win1 at 0.42, journaled once as stage 2's fitness and once as the guard's (stage 102).
  FineTuneFlipModel model;
  model.tuned_preferred = 0;
  Harness h;
  const TwoStageOutcome out = flip_search(model, h, kT, 4);
  REQUIRE(out.reported.size() == 3);
  CHECK(out.stages[1].win1_stage1 == Approx(0.4));
  CHECK(out.stages[1].win1_fine_tuned == Approx(0.42));
  CHECK_FALSE(out.stages[1].win1_restored);
  CHECK(model.restored.empty());
  CHECK(out.reported[2].path == out.reported[1].path);
  CHECK(out.reported[2].supernet_accuracy == Approx(0.42));
  int guard_lines = 0;
  for (const FitnessRecord& r : h.journal) guard_lines += r.stage == kFineTunedWin1Stage ? 1 : 0;
  CHECK(guard_lines == 1);

  // Resumed from that journal (the checkpoints are the model's: it trains nothing), the guard's decision replays
  // without scoring a_win1 again.
  FineTuneFlipModel again;
  again.tuned_preferred = 0;
  Harness g;
  TwoStageProblem p = g.problem();
  p.data = nullptr;
  p.model = &again;
  p.options.search.population = 4;
  p.options.search.parents = 2;
  p.known = h.journal;
  p.fitness = [](int, const std::vector<Arch>&, const std::function<void(size_t, double)>&) {
    FAIL("a resumed run scored a candidate");
  };
  const TwoStageOutcome resumed = two_stage_search(p);
  CHECK(resumed.stages[1].win1_fine_tuned == Approx(0.42));
  CHECK(resumed.reported[2].path == out.reported[2].path);
}
