#include "nas/hurricane/two_stage.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <utility>

#include "nas/train/trainer.h"

namespace rp::hurricane {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The default StageModel: the LibTorch supernet on Fashion-MNIST.
class SupernetModel : public StageModel {
 public:
  SupernetModel(const Choices& c, const TwoStageOptions& o, const traces::FashionMnist& data)
      : net_(supernet_spec(c, o.width), o.seed), data_(data) {}
  SupernetTrainStats train(const SupernetTrainOptions& o,
                           const std::function<void(int64_t, int64_t)>& progress) override {
    return net_.train(data_, o, progress);
  }
  std::string save_weights() const override { return net_.save_weights(); }
  void restore_ops(const std::string& weights, const Arch& a, const std::vector<char>& layers) override {
    net_.restore_ops(weights, "the supernet's weights before stage 2", a, layers);
  }
  double evaluate(const Arch& a, int64_t val_images, int64_t bn_images, int threads, const StopCheck& stop) override {
    return net_.evaluate(a, data_, val_images, bn_images, threads, stop);
  }

 private:
  Supernet net_;
  const traces::FashionMnist& data_;
};

// One search: the model, the fitnesses known so far, the stages in order.
class Driver {
 public:
  explicit Driver(const TwoStageProblem& p)
      : p_(p),
        o_(p.options),
        choices_(p.space->choices()),
        own_(p.model ? nullptr : std::make_unique<SupernetModel>(choices_, o_, *p.data)),
        net_(p.model ? *p.model : *own_) {
    for (const FitnessRecord& r : p.known) known_[{r.stage, r.arch}] = r.fitness;
  }

  TwoStageOutcome run(double fastest_ms) {
    TwoStageOutcome out;
    const Arch a_win0 = p_.space->top_choice();
    Arch current = a_win0;
    for (int stage = 1; stage <= (o_.t == 0 ? 1 : 2); ++stage) {
      out.stages.push_back(run_stage(stage, current, fastest_ms));
      current = out.stages.back().ea.best.arch;
    }
    // a_win0 scored with the final weights, then the stage winners.
    const double* a0 = find(0, a_win0);
    if (!a0) remember(0, a_win0, net_.evaluate(a_win0, o_.val_images, o_.bn_images, o_.threads, p_.stop));
    out.reported.push_back(report("a_win0", a_win0, *find(0, a_win0)));
    for (const StageOutcome& st : out.stages) {
      out.reported.push_back(report("a_win" + std::to_string(st.stage), st.ea.best.arch, st.ea.best.fitness));
    }
    if (o_.retrain) retrain(out.reported.back());
    return out;
  }

 private:
  double latency(const Arch& a) { return candidate_latency_ms(*p_.evaluator, choices_, a, p_.resolution, p_.batch); }

  const double* find(int stage, const Arch& a) const {
    const auto it = known_.find({stage, arch_text(a)});
    return it == known_.end() ? nullptr : &it->second;
  }

  void remember(int stage, const Arch& a, double fitness) {
    const FitnessRecord r{stage, arch_text(a), fitness};
    if (!known_.emplace(std::make_pair(r.stage, r.arch), fitness).second) return;
    if (p_.on_fitness) p_.on_fitness(r);
  }

  StageOutcome run_stage(int stage, const Arch& frozen, double fastest_ms) {
    StageOutcome st;
    st.stage = stage;
    for (int i = 0; i < static_cast<int>(choices_.size()); ++i) {
      st.active.push_back((stage == 1 ? i >= o_.t : i < o_.t) ? 1 : 0);
    }
    // Stage 1's weights (loaded from its checkpoint on resume), for the guard.
    const std::string before = stage == 2 ? net_.save_weights() : std::string();
    train(st, frozen);
    if (stage == 2 && st.train_images > 0) guard(st, frozen, before);
    if (p_.on_weights) p_.on_weights(stage, net_.save_weights());
    search(st, frozen);
    if (!st.ea.found) {
      throw Unmeetable("stage " + std::to_string(stage) + ": none of the " + std::to_string(st.ea.candidates.size()) +
                       " architectures drawn met " + exact(o_.latency_limit_ms) + " ms (the fastest of the space: " +
                       exact(fastest_ms) + " ms); raise the constraint or search.population");
    }
    if (p_.observer) p_.observer->searched(stage, st, op_names(*p_.space, st.ea.best.arch, " "));
    return st;
  }

  void train(StageOutcome& st, const Arch& frozen) {
    const int64_t stage1_images = o_.train_images * o_.epochs;
    SupernetTrainOptions to;
    to.images = st.stage == 1 ? stage1_images : std::llround(o_.stage2_fraction * static_cast<double>(stage1_images));
    if (to.images <= 0) return;
    to.train_images = o_.train_images;
    to.batch = o_.batch;
    to.lr = o_.lr;
    to.seed = o_.seed + static_cast<uint64_t>(st.stage - 1);  // stage 2 draws other batches and paths
    to.threads = o_.threads;
    to.active = st.active;
    to.fixed = frozen;
    // Stage 2 fine-tunes the first t layers' ops only: the layers stage 1 trained and fixed (and the stem and head)
    // keep their weights, so the many untrained ops sampled in the first t layers cannot pull them away from a_win1.
    to.only_active_weights = st.stage == 2;
    const int stage = st.stage;
    if (p_.save_checkpoint) {
      to.checkpoint = [&](int64_t done, const std::string& bytes) { p_.save_checkpoint({stage, done}, bytes); };
    }
    if (p_.load_checkpoint) to.resume = p_.load_checkpoint(stage);
    to.resume_name = "stage " + std::to_string(stage);
    to.stop = p_.stop;
    const SupernetTrainStats ts = net_.train(to, [&](int64_t done, int64_t total) {
      if (p_.observer) p_.observer->training(stage, done, total);
    });
    st.train_images = ts.images_done;
    st.train_seconds = ts.seconds;
    st.images_per_s = ts.images_per_s;
    if (p_.observer) p_.observer->trained(stage, ts);
  }

  // Stage 2's guard: when the fine-tuning lowered a_win1's fitness (scored by the caller with the fine-tuned
  // weights, as the stage's candidates are, or replayed from the journal), a_win1's ops of the first t layers get
  // stage 1's weights back. Its other layers, the stem and the head did not learn in stage 2 (only_active_weights)
  // and evaluation recalibrates batch norm, so a_win1's path is then stage 1's and scores its stage-1 fitness;
  // otherwise it scores at least that. Either way stage 2's search, which starts from a_win1, ends at or above
  // a_win1's stage-1 fitness.
  void guard(StageOutcome& st, const Arch& win1, const std::string& before) {
    const double* s1 = find(1, win1);
    if (!s1) throw std::logic_error("two_stage_search: a_win1 has no stage-1 fitness");
    if (!find(kFineTunedWin1Stage, win1)) {  // scored as the stage's candidates are (the same numbers)
      if (p_.on_weights) p_.on_weights(kFineTunedWin1Stage, net_.save_weights());
      double f = kNaN;
      p_.fitness(kFineTunedWin1Stage, {win1}, [&f](size_t, double v) { f = v; });
      remember(kFineTunedWin1Stage, win1, f);
    }
    st.win1_stage1 = *s1;
    st.win1_fine_tuned = *find(kFineTunedWin1Stage, win1);
    st.win1_restored = !(st.win1_fine_tuned >= st.win1_stage1);
    if (st.win1_restored) {
      net_.restore_ops(before, win1, st.active);
    } else {
      remember(2, win1, st.win1_fine_tuned);  // the weights stage 2 scores with
    }
    if (p_.observer) p_.observer->guarded(st);
  }

  void search(StageOutcome& st, const Arch& frozen) {
    EaProblem ea;
    for (const auto& c : choices_) ea.choices.push_back(static_cast<int>(c.size()));
    ea.active = st.active;
    ea.frozen = frozen;
    ea.start = {frozen};  // the stage starts from the previous winner (a_win0, a_win1): a_winN is at least as fit
    ea.latency_limit_ms = o_.latency_limit_ms;
    ea.latency_ms = [this](const Arch& a) { return latency(a); };
    ea.fitness = [&](const std::vector<Arch>& archs) { return score(st, archs); };
    ea.on_generation = [&](int, int done, int total) {
      if (p_.observer) p_.observer->generation(st.stage, done, total, st.scored_now);
    };
    ea.stop = p_.stop;
    const auto t0 = std::chrono::steady_clock::now();
    if (p_.observer) p_.observer->search_started(st.stage);
    st.ea = evolve(ea, o_.search);
    st.search_seconds = since(t0);
  }

  // The fitness of each of `archs`: known ones as they are, the rest scored by the caller (and remembered as each
  // arrives, so a kill loses only the candidates in flight).
  std::vector<double> score(StageOutcome& st, const std::vector<Arch>& archs) {
    std::vector<double> fit(archs.size(), kNaN);
    std::vector<Arch> missing;
    std::vector<size_t> index;
    for (size_t i = 0; i < archs.size(); ++i) {
      if (const double* f = find(st.stage, archs[i])) {
        fit[i] = *f;
      } else {
        missing.push_back(archs[i]);
        index.push_back(i);
      }
    }
    if (missing.empty()) return fit;
    std::vector<char> done(missing.size(), 0);
    p_.fitness(st.stage, missing, [&](size_t r, double f) {
      if (r >= missing.size() || done[r]) throw std::logic_error("two_stage_search: a fitness out of turn");
      done[r] = 1;
      fit[index[r]] = f;
      remember(st.stage, missing[r], f);
      ++st.scored_now;
    });
    for (char d : done) {
      if (!d) throw std::logic_error("two_stage_search: the fitness callback left a candidate unscored");
    }
    return fit;
  }

  Reported report(const std::string& label, const Arch& a, double accuracy) {
    Reported r;
    r.label = label;
    r.arch = op_names(*p_.space, a);
    r.path = a;
    r.latency_ms = latency(a);
    r.supernet_accuracy = accuracy;
    const traces::Network big =
        imagenet_candidate(choices_, a, p_.resolution, 1, p_.evaluator->accelerator().info().precision);
    r.macs = big.macs();
    r.params = big.params();
    return r;
  }

  void retrain(Reported& winner) {
    const double* v = find(kRetrainValStage, winner.path);
    const double* t = find(kRetrainTestStage, winner.path);
    if (!v || !t) {
      nas::TrainOptions to;
      to.train_images = o_.retrain_images;
      to.epochs = o_.retrain_epochs;
      to.seed = o_.retrain_seed;
      to.threads = o_.threads;
      to.cuda = o_.retrain_cuda;
      to.test = true;
      to.stop = p_.stop;
      if (p_.observer) p_.observer->retraining(to.train_images, to.epochs);
      const traces::FashionMnist& data = p_.retrain_data ? *p_.retrain_data : *p_.data;
      to.val_images = std::min<int64_t>(to.val_images, data.validation);  // a small data set's whole validation split
      const nas::TrainResult tr = nas::train_proxy(proxy_candidate(choices_, winner.path, o_.width, data), data, to);
      remember(kRetrainValStage, winner.path, tr.val_accuracy);
      remember(kRetrainTestStage, winner.path, tr.test_accuracy);
    }
    winner.retrain_val_accuracy = *find(kRetrainValStage, winner.path);
    winner.retrain_test_accuracy = *find(kRetrainTestStage, winner.path);
  }

  const TwoStageProblem& p_;
  const TwoStageOptions& o_;
  const Choices choices_;
  std::unique_ptr<StageModel> own_;  // the default model, when the problem brings none
  StageModel& net_;
  std::map<std::pair<int, std::string>, double> known_;
};

}  // namespace

void fitness_columns(Columns& c, FitnessRecord& r) {
  c.column("stage", r.stage);
  c.column("arch", r.arch);
  c.column("fitness", r.fitness);
}

void checkpoint_columns(Columns& c, CheckpointRecord& r) {
  c.column("stage", r.stage);
  c.column("images", r.images);
}

void candidate_columns(Columns& c, CandidateRow& r) {
  c.column("generation", r.generation);
  c.column("arch", r.arch);
  c.column("arch_index", r.arch_index);
  c.column("latency_ms", r.latency_ms);
  c.column("supernet_accuracy", r.supernet_accuracy);
  c.column("feasible", r.feasible);
}

void reported_columns(Columns& c, Reported& r) {
  c.column("label", r.label);
  c.column("arch", r.arch);
  c.column("latency_ms", r.latency_ms);
  c.column("supernet_accuracy", r.supernet_accuracy);
  c.column("retrain_val_accuracy", r.retrain_val_accuracy);
  c.column("retrain_test_accuracy", r.retrain_test_accuracy);
  c.column("macs", r.macs);
  c.column("params", r.params);
}

std::string arch_text(const Arch& a) {
  std::string s;
  for (size_t i = 0; i < a.size(); ++i) s += (i ? "," : "") + std::to_string(a[i]);
  return s;
}

std::string op_names(const HwSpace& s, const Arch& a, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < a.size(); ++i) out += (i ? sep : "") + s.layers[i].kept.at(static_cast<size_t>(a[i])).op;
  return out;
}

Arch fastest_arch(const HwSpace& s) {
  Arch fastest(s.layers.size(), 0);
  for (size_t i = 0; i < s.layers.size(); ++i) {
    const auto& kept = s.layers[i].kept;
    for (size_t j = 1; j < kept.size(); ++j) {
      if (kept[j].latency_ms < kept[static_cast<size_t>(fastest[i])].latency_ms) fastest[i] = static_cast<int>(j);
    }
  }
  return fastest;
}

std::vector<CandidateRow> candidate_rows(const HwSpace& s, const StageOutcome& st) {
  std::vector<CandidateRow> rows;
  for (const Candidate& x : st.ea.candidates) {
    rows.push_back({x.generation, op_names(s, x.arch), arch_text(x.arch), x.latency_ms, x.fitness, x.feasible});
  }
  return rows;
}

double candidate_latency_ms(accel::Evaluator& e, const Choices& c, const Arch& a, int resolution, int64_t batch) {
  const accel::Outcome& o =
      e(arch_text(a), [&] { return imagenet_candidate(c, a, resolution, batch, e.accelerator().info().precision); });
  return o.ok ? o.latency_ms : kInf;
}

double check_meetable(const TwoStageProblem& p) {
  const double fastest_ms =
      candidate_latency_ms(*p.evaluator, p.space->choices(), fastest_arch(*p.space), p.resolution, p.batch);
  if (!(fastest_ms <= p.options.latency_limit_ms)) {
    char line[300];
    std::snprintf(line, sizeof line,
                  "%.6g ms is below the fastest architecture of the generated space on %s "
                  "(%.6g ms at batch %lld, every layer's fastest op): no architecture meets it",
                  p.options.latency_limit_ms, p.evaluator->accelerator().info().name.c_str(), fastest_ms,
                  static_cast<long long>(p.batch));
    throw Unmeetable(line);
  }
  return fastest_ms;
}

TwoStageOutcome two_stage_search(const TwoStageProblem& p) {
  if (!p.space || !(p.data || p.model) || !p.evaluator || !p.fitness || (p.options.retrain && !p.data)) {
    throw std::logic_error("two_stage_search: space, data (or a model), evaluator and fitness are required");
  }
  const double fastest_ms = check_meetable(p);
  return Driver(p).run(fastest_ms);
}

}  // namespace rp::hurricane
