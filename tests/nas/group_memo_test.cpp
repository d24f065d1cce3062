// The evaluator's group memo (accel_models/group_memo.h) gives the full simulation's result, field by field and to
// the picosecond, on random candidates of the EfficientNet-X NAS space and on zoo networks; it steps aside where
// its conditions fail; it stays within its capacity; two threads sharing one memo get the serial results.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "accel_models/config/accelerator_config.h"
#include "accel_models/evaluate.h"
#include "accel_models/group_memo.h"
#include "nas/controller/controller.h"
#include "nas/space/arch_network.h"
#include "nas/space/search_space.h"
#include "simulator/result_schema.h"
#include "traces/zoo/zoo.h"

using namespace rp;

namespace {

// Every difference between two results, as "field: a != b" (exact comparison: == on doubles).
struct Diff {
  std::vector<std::string> lines;
  void num(const std::string& what, double a, double b) {
    if (a == b) return;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s: %.17g != %.17g", what.c_str(), a, b);
    lines.push_back(buf);
  }
  void text(const std::string& what, const std::string& a, const std::string& b) {
    if (a != b) lines.push_back(what + ": '" + a + "' != '" + b + "'");
  }
};

Diff compare(const sim::SimResult& a, const sim::SimResult& b) {
  Diff d;
  d.text("model", a.model, b.model);
  d.text("accelerator", a.accelerator, b.accelerator);
  for (const auto& f : sim::result_fields()) d.num(f.name, f.get(a), f.get(b));
  d.num("units", static_cast<double>(a.units.size()), static_cast<double>(b.units.size()));
  for (size_t i = 0; i < a.units.size() && i < b.units.size(); ++i) {
    const auto &x = a.units[i], &y = b.units[i];
    d.text("unit", x.name, y.name);
    d.text(x.name + ".parent", x.parent, y.parent);
    d.num(x.name + ".headline", x.headline, y.headline);
    for (const auto& f : sim::unit_fields()) d.num(x.name + "." + f.name, f.get(x), f.get(y));
    d.num(x.name + ".stats", static_cast<double>(x.stats.size()), static_cast<double>(y.stats.size()));
    for (size_t s = 0; s < x.stats.size() && s < y.stats.size(); ++s) {
      d.text(x.name + ".stat", x.stats[s].name, y.stats[s].name);
      d.num(x.name + "." + x.stats[s].name, x.stats[s].value, y.stats[s].value);
    }
  }
  d.num("instances", static_cast<double>(a.instances.size()), static_cast<double>(b.instances.size()));
  for (size_t i = 0; i < a.instances.size() && i < b.instances.size(); ++i) {
    const auto &x = a.instances[i], &y = b.instances[i];
    d.text("instance", x.name + "/" + x.kind, y.name + "/" + y.kind);
    d.num(x.name + ".channels", x.channels, y.channels);
    d.num(x.name + ".busy_ms", x.busy_ms, y.busy_ms);
    d.num(x.name + ".contention_ms", x.contention_ms, y.contention_ms);
    d.num(x.name + ".tasks", static_cast<double>(x.tasks), static_cast<double>(y.tasks));
  }
  d.num("layers", static_cast<double>(a.layers.size()), static_cast<double>(b.layers.size()));
  for (size_t i = 0; i < a.layers.size() && i < b.layers.size(); ++i) {
    const auto &x = a.layers[i], &y = b.layers[i];
    d.text("layer", x.name + "/" + x.unit, y.name + "/" + y.unit);
    d.num(x.name + ".fused", static_cast<double>(x.fused.size()), static_cast<double>(y.fused.size()));
    for (const auto& f : sim::layer_fields()) d.num(x.name + "." + f.name, f.get(x), f.get(y));
  }
  return d;
}

struct Tally {
  int compared = 0, infeasible = 0;
  std::vector<std::string> first_diff;
};

// Evaluates `net` in full and through `memo`; records the first difference. With `figures`, also through that
// memo without the per-layer table (what an Evaluator's Outcome is made from): the same but for `layers`, empty.
void check_one(const traces::Network& net, const accel::IAccelerator& acc, accel::GroupMemo& memo, Tally& t,
               accel::GroupMemo* figures = nullptr) {
  const accel::Evaluation full = accel::evaluate(net, acc);
  const accel::Evaluation fast = accel::evaluate(net, acc, memo);
  if (full.ok != fast.ok || full.reason != fast.reason) {
    if (t.first_diff.empty()) t.first_diff = {"ok/reason: '" + full.reason + "' != '" + fast.reason + "'"};
    return;
  }
  if (figures) {
    const accel::Evaluation fig = accel::evaluate_figures(net, acc, *figures, false);
    if (fig.ok != full.ok || fig.reason != full.reason) {
      if (t.first_diff.empty()) t.first_diff = {"figures ok/reason: '" + full.reason + "' != '" + fig.reason + "'"};
      return;
    }
    if (full.ok) {
      sim::SimResult without = full.result;
      without.layers.clear();
      const Diff d = compare(without, fig.result);
      if (!d.lines.empty() && t.first_diff.empty()) t.first_diff = {"figures only: " + d.lines.front()};
    }
  }
  if (!full.ok) {
    ++t.infeasible;
    return;
  }
  ++t.compared;
  const Diff d = compare(full.result, fast.result);
  if (!d.lines.empty() && t.first_diff.empty()) t.first_diff = d.lines;
}

void random_candidates(const std::string& accelerator, int n, int64_t batch) {
  const nas::SearchSpace& space = nas::search_space("efficientnet-x");
  const auto acc = accel::AcceleratorConfig::load(accelerator).build();
  accel::GroupMemo memo, figures;
  const auto random = nas::make_random_search(nas::decision_sizes(space), 7);
  Tally t;
  for (int i = 0; i < n; ++i) {
    const nas::Choices c = random->propose(1)[0];
    check_one(nas::arch_network(space, c, 224, batch, acc->info().precision), *acc, memo, t, &figures);
  }
  INFO(accelerator << ": " << (t.first_diff.empty() ? "" : t.first_diff.front()));
  CHECK(t.first_diff.empty());
  CHECK(t.compared + t.infeasible == n);
  // Most candidates must come from the records, or the test would not test the fast path: after a few hundred
  // candidates the space's block shapes repeat (3 kernels x 3 expansions x 2 SE x 2 ops x filters per stage).
  const accel::GroupMemo::Counts& k = memo.counts();
  INFO("assembled " << k.assembled << ", full runs " << k.full_runs << ", group hits " << k.group_hits << ", misses "
                    << k.group_misses);
  CHECK(k.assembled > n / 2);
  CHECK(k.assembled + k.full_runs == n - t.infeasible);
  CHECK(figures.counts().assembled == k.assembled);  // the figures-only path was tested assembled as often
}

traces::Network zoo(const std::string& name, int64_t batch, const accel::IAccelerator& acc) {
  traces::BuildOptions o;
  o.batch = batch;
  o.dtype = acc.info().precision;
  return traces::build_model(name, o);
}

}  // namespace

TEST_CASE("group memo: 1,000 random EfficientNet-X candidates on TPUv3 equal the full simulation", "[group_memo]") {
  random_candidates("tpuv3", 1000, 2);  // batch 2: both TPUv3 cores
}

TEST_CASE("group memo: 1,000 random EfficientNet-X candidates on V100 equal the full simulation", "[group_memo]") {
  random_candidates("v100", 1000, 2);
}

TEST_CASE("group memo: zoo networks, evaluated twice, equal the full simulation", "[group_memo]") {
  for (const char* a : {"tpuv3", "v100"}) {
    const auto acc = accel::AcceleratorConfig::load(a).build();
    accel::GroupMemo memo, figures;
    Tally t;
    // batch 3 on TPUv3: unequal core shares (2 and 1 images).
    for (const char* m : {"efficientnet-b0", "resnet-50", "mobilenet-v2", "bert-base", "vit-b16", "gpt2-decode"}) {
      for (int pass = 0; pass < 2; ++pass) check_one(zoo(m, 3, *acc), *acc, memo, t, &figures);
    }
    INFO(a << ": " << (t.first_diff.empty() ? "" : t.first_diff.front()));
    CHECK(t.first_diff.empty());
    CHECK(t.compared == 12);
    CHECK(memo.counts().assembled >= 3);  // the second pass of at least the CNNs
  }
}

TEST_CASE("group memo: steps aside where consecutive groups are independent (TPU attention projections)",
          "[group_memo]") {
  // BERT's Q, K and V projections read the same input and do not wait for each other: on the TPU (groups in DAG
  // order) they may overlap, so the network is always simulated whole; on the GPU (one stream) they never do.
  const auto tpu = accel::AcceleratorConfig::load("tpuv3").build();
  accel::GroupMemo memo;
  for (int pass = 0; pass < 2; ++pass) accel::evaluate(zoo("bert-base", 2, *tpu), *tpu, memo);
  CHECK(memo.counts().full_runs == 2);
  CHECK(memo.counts().assembled == 0);
  CHECK(memo.size() == 0);
}

TEST_CASE("group memo: bounded by its capacity, results unchanged", "[group_memo]") {
  const auto acc = accel::AcceleratorConfig::load("v100").build();
  accel::GroupMemo memo(8);
  Tally t;
  for (const char* m : {"efficientnet-b0", "mobilenet-v2", "efficientnet-b0", "resnet-50", "efficientnet-b0"})
    check_one(zoo(m, 1, *acc), *acc, memo, t);
  CHECK(t.first_diff.empty());
  CHECK(memo.size() == 8);
  CHECK(memo.counts().assembled == 0);  // 8 records cannot hold a whole network: every one is simulated whole
}

TEST_CASE("group memo: an infeasible group gives the full lowering's reason", "[group_memo]") {
  const auto tiny = accel::AcceleratorConfig::load("tpuv3").with({{"vector_memory.capacity_mib", 0.01}}).build();
  accel::GroupMemo memo;
  const accel::Evaluation full = accel::evaluate(zoo("mnasnet-a1", 8, *tiny), *tiny);
  const accel::Evaluation fast = accel::evaluate(zoo("mnasnet-a1", 8, *tiny), *tiny, memo);
  CHECK_FALSE(fast.ok);
  CHECK(fast.reason == full.reason);
  CHECK(fast.reason.find("does not fit in vector memory") != std::string::npos);
}

TEST_CASE("evaluator: the group memo is on by default and off on request", "[group_memo]") {
  const auto acc = accel::AcceleratorConfig::load("tpuv3").build();
  accel::Evaluator on(acc), off(acc, accel::Evaluator::kDefaultCapacity, false);
  REQUIRE(on.group_memo() != nullptr);
  CHECK(off.group_memo() == nullptr);
  traces::BuildOptions o;
  o.batch = 2;
  const accel::Outcome& a = on("b0", [&] { return traces::build_model("efficientnet-b0", o); });
  const std::vector<double> figures = a.figures;
  const accel::Outcome& b = off("b0", [&] { return traces::build_model("efficientnet-b0", o); });
  CHECK(figures == b.figures);
  CHECK(on.group_memo()->counts().full_runs == 1);
}

namespace {

// Two threads evaluate `nets` through one memo of `capacity` records and one engine mutex (what Python's module
// does), one from the front and one from the back, `repeat` times each in a row, for two passes; every result is
// compared with `serial` field by field (compare(): latency, energy, every unit, instance and layer). Returns each
// thread's differences and the memo's counts.
struct TwoThreads {
  std::vector<std::vector<std::string>> diffs{2};
  accel::GroupMemo::Counts counts;
};
TwoThreads two_threads(const std::vector<traces::Network>& nets, const std::vector<accel::Evaluation>& serial,
                       const accel::IAccelerator& acc, size_t capacity, int repeat) {
  std::mutex engine;
  accel::GroupMemo memo(capacity, &engine);
  TwoThreads out;
  const auto work = [&](size_t thread) {
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t k = 0; k < nets.size(); ++k) {
        const size_t i = thread == 0 ? k : nets.size() - 1 - k;
        for (int r = 0; r < repeat; ++r) {
          const accel::Evaluation e = accel::evaluate(nets[i], acc, memo);
          if (e.ok != serial[i].ok || e.reason != serial[i].reason) {
            out.diffs[thread].push_back("ok/reason of " + std::to_string(i) + ": " + e.reason);
          } else if (e.ok) {
            const Diff d = compare(serial[i].result, e.result);
            if (!d.lines.empty()) out.diffs[thread].push_back(std::to_string(i) + ": " + d.lines.front());
          }
        }
      }
    }
  };
  std::thread other(work, 1);
  work(0);
  other.join();
  out.counts = memo.counts();
  return out;
}

// 150 random EfficientNet-X candidates (TPUv3, batch 2) and each one's serial full simulation.
void random_candidates(const accel::IAccelerator& acc, std::vector<traces::Network>& nets,
                       std::vector<accel::Evaluation>& serial) {
  const nas::SearchSpace& space = nas::search_space("efficientnet-x");
  const auto random = nas::make_random_search(nas::decision_sizes(space), 11);
  for (int i = 0; i < 150; ++i) {
    nets.push_back(nas::arch_network(space, random->propose(1)[0], 224, 2, acc.info().precision));
    serial.push_back(accel::evaluate(nets.back(), acc));
  }
}

}  // namespace

TEST_CASE("group memo: two threads sharing one memo give the serial results, exactly", "[group_memo]") {
  // The threads meet in the middle with records made by the other thread and assemble networks at the same time.
  const auto acc = accel::AcceleratorConfig::load("tpuv3").build();
  std::vector<traces::Network> nets;
  std::vector<accel::Evaluation> serial;
  random_candidates(*acc, nets, serial);
  const TwoThreads t = two_threads(nets, serial, *acc, accel::GroupMemo::kDefaultCapacity, 1);
  INFO((t.diffs[0].empty() ? "" : t.diffs[0].front()) << (t.diffs[1].empty() ? "" : t.diffs[1].front()));
  CHECK(t.diffs[0].empty());
  CHECK(t.diffs[1].empty());
  INFO("assembled " << t.counts.assembled << ", full runs " << t.counts.full_runs);
  // Each thread's second pass finds every group recorded (by its own first pass, if not the other's): at least
  // 2 x 150 of the 600 evaluations are assembled from records (these candidates are all feasible and memoizable).
  CHECK(t.counts.assembled + t.counts.full_runs == 600);
  CHECK(t.counts.assembled >= 300);
}

TEST_CASE("group memo: two threads evicting each other's records give the serial results, exactly", "[group_memo]") {
  // A memo barely larger than one network's groups: every full run evicts records the other thread may be
  // assembling from at that moment (a call holds a counted reference to each record it uses, group_memo.h), and
  // each candidate is evaluated twice in a row, so the second is often assembled from records under eviction.
  const auto acc = accel::AcceleratorConfig::load("tpuv3").build();
  std::vector<traces::Network> nets;
  std::vector<accel::Evaluation> serial;
  random_candidates(*acc, nets, serial);
  size_t most = 0;  // the most groups one candidate records
  for (const traces::Network& n : nets) {
    accel::GroupMemo alone;
    accel::evaluate(n, *acc, alone);
    most = std::max(most, alone.size());
  }
  const TwoThreads t = two_threads(nets, serial, *acc, most + 4, 2);
  INFO((t.diffs[0].empty() ? "" : t.diffs[0].front()) << (t.diffs[1].empty() ? "" : t.diffs[1].front()));
  CHECK(t.diffs[0].empty());
  CHECK(t.diffs[1].empty());
  INFO("capacity " << most + 4 << ", assembled " << t.counts.assembled << ", full runs " << t.counts.full_runs);
  CHECK(t.counts.assembled + t.counts.full_runs == 1200);
  CHECK(t.counts.assembled > 0);    // records were used ...
  CHECK(t.counts.full_runs > 600);  // ... while evictions kept forcing full runs beyond each thread's first sight
}
