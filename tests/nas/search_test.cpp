// The NAS search as a method (nas/search/nas_search.h): latency from the memoized evaluator, accuracy from any
// source, and a resume that replays the controller to the same table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <tuple>

#include "accel_models/evaluate.h"
#include "nas/search/nas_search.h"
#include "nas/space/arch_network.h"
#include "traces/zoo/zoo.h"

using namespace rp::nas;

namespace {

// A deterministic accuracy source: a function of the architecture text alone, in [0.5, 0.6).
double fake_accuracy(const std::string& arch) {
  return 0.5 + static_cast<double>(std::hash<std::string>{}(arch) % 1000) / 10000;
}

struct Run {
  std::unique_ptr<Controller> controller;
  rp::accel::Evaluator evaluator;
  NasProblem p;
  std::vector<std::string> rated;
  Run(const SearchSpace& s, int64_t samples)
      : controller(make_random_search(decision_sizes(s), 7)),
        evaluator(rp::accel::AcceleratorConfig::load("tpuv3").build()) {
    p.space = &s;
    p.controller = controller.get();
    p.evaluator = &evaluator;
    p.batch = 8;
    p.reward = RewardSpec::soft(1.0, -0.07);
    p.samples = samples;
    p.accuracy = [this](const std::vector<std::string>& archs) {
      std::vector<Rating> a;
      for (const auto& x : archs) {
        rated.push_back(x);
        a.push_back({fake_accuracy(x), ""});
      }
      return a;
    };
  }
};

// Records the size of every propose() and feedback() of the controller it wraps.
class CountingController : public Controller {
 public:
  explicit CountingController(std::unique_ptr<Controller> inner) : inner_(std::move(inner)) {}
  std::vector<Choices> propose(int n) override {
    proposed.push_back(n);
    return inner_->propose(n);
  }
  void feedback(const std::vector<Choices>& archs, const std::vector<double>& rewards) override {
    fed.push_back(static_cast<int>(archs.size()));
    inner_->feedback(archs, rewards);
  }
  std::string name() const override { return inner_->name(); }
  std::vector<int> proposed, fed;

 private:
  std::unique_ptr<Controller> inner_;
};

}  // namespace

TEST_CASE("evaluate_arch: the base architecture is EfficientNet-B0, memoized by its canonical text", "[search]") {
  const SearchSpace& s = search_space("efficientnet");
  rp::accel::Evaluator memo(rp::accel::AcceleratorConfig::load("tpuv3").build());
  const rp::accel::Outcome& a = evaluate_arch(memo, s, base_choices(s), 224, 128);
  REQUIRE(a.ok);
  rp::traces::BuildOptions o;
  o.batch = 128;
  o.dtype = memo.accelerator().info().precision;
  const rp::accel::Evaluation ref =
      rp::accel::evaluate(rp::traces::build_model("efficientnet-b0", o), memo.accelerator());
  CHECK(a.latency_ms == ref.result.latency_ms);
  CHECK(a.macs / 128 == 385814752);  // the zoo test's B0 count per image (0.386 G, paper 0.39 G)
  CHECK(a.params == 5288548);
  evaluate_arch(memo, s, base_choices(s), 224, 128);
  CHECK(memo.simulations() == 1);
}

TEST_CASE("search: a run stopped by its budget and resumed from its samples gives the uninterrupted table",
          "[search]") {
  const SearchSpace& s = search_space("efficientnet-x");
  Run whole(s, 10);
  const NasOutcome all = search(whole.p);
  REQUIRE(all.complete);
  REQUIRE(all.table.size() == 10u);
  for (const Sample& x : all.table) {
    if (x.feasible) CHECK(x.reward == whole.p.reward(fake_accuracy(x.arch), x.latency_ms));
  }

  Run first(s, 10);
  std::map<int64_t, Sample> journal;
  first.p.on_sample = [&](const Sample& x) { journal[x.step] = x; };
  first.p.budget = 5;  // stops within the second round (rounds of 4): the round's 5th sample is finished first
  const NasOutcome part = search(first.p);
  CHECK_FALSE(part.complete);
  CHECK(journal.size() == 5u);

  Run rest(s, 10);
  rest.p.known = journal;
  const NasOutcome resumed = search(rest.p);
  REQUIRE(resumed.complete);
  CHECK(resumed.resumed == 5);
  for (const std::string& a : rest.rated) {  // nothing journaled was rated again
    bool was = false;
    for (const auto& [step, x] : journal) was = was || (x.arch == a && x.feasible);
    CHECK_FALSE(was);
  }
  for (size_t i = 0; i < all.table.size(); ++i) {
    CHECK(resumed.table[i].arch == all.table[i].arch);
    CHECK(resumed.table[i].reward == all.table[i].reward);
  }
}

TEST_CASE("search: a journaled step that is not the controller's proposal is refused", "[search]") {
  const SearchSpace& s = search_space("efficientnet-x");
  Run r(s, 4);
  Sample wrong;
  wrong.step = 0;
  wrong.arch = s.canonical(base_choices(s));
  r.p.known[0] = wrong;
  CHECK_THROWS_WITH(search(r.p), Catch::Contains("step 0 recorded") && Catch::Contains("use --fresh"));
}

namespace {

// The latency a row's reward used, recovered from R = ACC x (LAT / 1 ms)^-1 (alpha = beta = -1, T = 1): LAT = ACC / R.
double used_latency(const Sample& x) { return x.accuracy / x.reward; }

std::vector<double> sorted(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("control no-latency: every reward is the accuracy, rows keep the true latency", "[search][control]") {
  const SearchSpace& s = search_space("efficientnet-x");
  Run r(s, 8);
  r.p.reward.control = LatencyControl::no_latency;
  const NasOutcome out = search(r.p);
  REQUIRE(out.complete);
  rp::accel::Evaluator fresh(rp::accel::AcceleratorConfig::load("tpuv3").build());
  for (const Sample& x : out.table) {
    REQUIRE(x.feasible);
    CHECK(x.reward == x.accuracy);  // (LAT/T)^0 = 1
    CHECK(x.latency_ms == evaluate_arch(fresh, s, s.parse(x.arch), 224, 8).latency_ms);
  }
}

TEST_CASE("control shuffled-latency: each round's rewards use a permutation of its true latencies, never their own",
          "[search][control]") {
  const SearchSpace& s = search_space("efficientnet-x");
  auto shuffled = [](Run& r) { r.p.reward = RewardSpec{1.0, -1.0, -1.0, LatencyControl::shuffled_latency, 1}; };
  Run whole(s, 12);  // three rounds of 4
  shuffled(whole);
  const NasOutcome all = search(whole.p);
  REQUIRE(all.complete);
  rp::accel::Evaluator fresh(rp::accel::AcceleratorConfig::load("tpuv3").build());
  for (size_t first = 0; first < 12; first += 4) {
    std::vector<double> truth, used;
    for (size_t i = first; i < first + 4; ++i) {
      const Sample& x = all.table[i];
      REQUIRE(x.feasible);
      // The row records the candidate's own simulated latency, not the one its reward used.
      CHECK(x.latency_ms == evaluate_arch(fresh, s, s.parse(x.arch), 224, 8).latency_ms);
      truth.push_back(x.latency_ms);
      used.push_back(used_latency(x));
      if (std::count(truth.begin(), truth.end(), x.latency_ms) == 1) {  // distinct latencies: a derangement
        CHECK(used.back() != Approx(x.latency_ms).epsilon(1e-12));
      }
    }
    const std::vector<double> t = sorted(truth), u = sorted(used);
    for (size_t k = 0; k < t.size(); ++k) CHECK(u[k] == Approx(t[k]).epsilon(1e-12));  // the same multiset
  }
  // Stopped inside the second round and resumed: the same rewards (the permutation ignores the budget).
  Run first(s, 12);
  shuffled(first);
  std::map<int64_t, Sample> journal;
  first.p.on_sample = [&](const Sample& x) { journal[x.step] = x; };
  first.p.budget = 6;
  REQUIRE_FALSE(search(first.p).complete);
  Run rest(s, 12);
  shuffled(rest);
  rest.p.known = journal;
  const NasOutcome resumed = search(rest.p);
  REQUIRE(resumed.complete);
  for (size_t i = 0; i < all.table.size(); ++i) CHECK(resumed.table[i].reward == all.table[i].reward);
}

TEST_CASE("search: the round size sets how many are proposed, rated at once and fed back per update", "[search]") {
  const SearchSpace& s = search_space("efficientnet-x");
  for (const auto& [round, samples, expected] :
       {std::tuple<int, int64_t, std::vector<int>>{8, 16, {8, 8}}, {4, 10, {4, 4, 2}}, {3, 7, {3, 3, 1}}}) {
    INFO("round " << round << ", samples " << samples);
    Run r(s, samples);
    CountingController counting(make_random_search(decision_sizes(s), 7));
    r.p.controller = &counting;
    r.p.round = round;
    std::vector<int> rated_at_once;  // the accuracy source's batches: what a job pool trains concurrently
    const auto inner = r.p.accuracy;
    r.p.accuracy = [&](const std::vector<std::string>& archs) {
      rated_at_once.push_back(static_cast<int>(archs.size()));
      return inner(archs);
    };
    const NasOutcome out = search(r.p);
    REQUIRE(out.complete);
    CHECK(counting.proposed == expected);  // ceil(samples / round) rounds, the last one cut to the budget
    CHECK(counting.fed == expected);       // one controller update (REINFORCE step) per round
    // Each round's feasible candidates go to the accuracy source in one call (what a job pool trains at once):
    // random candidates of a 5.6e18 space do not repeat, so that is the round's count of feasible rows.
    std::vector<int> feasible_per_round;
    for (size_t first = 0; first < out.table.size(); first += static_cast<size_t>(round)) {
      int n = 0;
      for (size_t i = first; i < std::min(out.table.size(), first + static_cast<size_t>(round)); ++i) {
        n += out.table[i].feasible ? 1 : 0;
      }
      if (n > 0) feasible_per_round.push_back(n);
    }
    CHECK(rated_at_once == feasible_per_round);
    CHECK(*std::max_element(rated_at_once.begin(), rated_at_once.end()) == round);
  }
}
