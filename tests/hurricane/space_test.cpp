// HURRICANE's op pool, skeleton and hardware-aware space generation (hurricane/space, traces/zoo/op_pool.h).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

#include "nas/hurricane/space/space_gen.h"
#include "simulator/error.h"
#include "traces/zoo/layerwise_net.h"
#include "traces/zoo/zoo.h"

using namespace rp;
using namespace rp::hurricane;

namespace {

traces::Slot slot_56x56x64() {
  traces::Slot s;
  s.in_channels = s.out_channels = 64;
  s.stride = 1;
  s.in_h = s.in_w = 56;
  return s;
}

}  // namespace

TEST_CASE("op pool: 32 distinct ops, names round-trip, unknown names suggest the nearest") {
  const auto names = traces::op_pool_names();
  CHECK(names.size() == 32);  // (3 SEP + 9 MB + 3 Choice + Choice_x) x {plain, SE}
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == 32);
  for (const auto& n : names) CHECK(traces::parse_op(n).name() == n);
  CHECK_THROWS_WITH(traces::parse_op("MB_3_4"), Catch::Contains("unknown op 'MB_3_4'"));
  CHECK_THROWS_WITH(traces::parse_op("SEP3"), Catch::Contains("did you mean SEP_3?"));
}

TEST_CASE("op IR: SEP_3 MACs and params by hand") {
  const traces::Skeleton sk = traces::default_skeleton(20);
  const traces::Network n = traces::op_network(sk, slot_56x56x64(), traces::parse_op("SEP_3"), 1, traces::DType::kF32);
  // dw 3x3 on 64 ch at 56x56: 56*56*64*9 = 1,806,336 MACs, 576 weights, BN 2*64 = 128;
  // pw 1x1 64 -> 64: 56*56*64*64 = 12,845,056 MACs, 4096 weights, BN 128.
  CHECK(n.macs() == 1806336 + 12845056);
  CHECK(n.params() == 576 + 128 + 4096 + 128);
}

TEST_CASE("op IR: every op keeps the slot's output shape; MB adds a skip only at stride 1 with equal widths") {
  const traces::Skeleton sk = traces::default_skeleton(20);
  traces::Slot down = slot_56x56x64();
  down.stride = 2;
  down.out_channels = 160;
  for (const auto& op : traces::op_pool()) {
    for (const traces::Slot& s : {slot_56x56x64(), down}) {
      const traces::Network n = traces::op_network(sk, s, op, 2, traces::DType::kF32);
      const traces::Shape out = n.layers().back().output;
      CHECK(out.n == 2);
      CHECK(out.h == (s.stride == 2 ? 28 : 56));
      CHECK(out.c == s.out_channels);
    }
  }
  const auto has_add = [&](const traces::Slot& s) {
    const traces::Network n = traces::op_network(sk, s, traces::parse_op("MB_3_6"), 1, traces::DType::kF32);
    for (const auto& l : n.layers()) {
      if (l.kind == traces::LayerKind::kAdd) return true;
    }
    return false;
  };
  CHECK(has_add(slot_56x56x64()));
  CHECK_FALSE(has_add(down));
}

TEST_CASE("skeleton: SPOS's 20 layers as 4/4/8/4, other n in the same proportion") {
  CHECK(traces::default_skeleton(20).stage_layers == std::vector<int>{4, 4, 8, 4});
  // n = 8: exact shares 1.6 / 1.6 / 3.2 / 1.6 -> floors 1/1/3/1 (6), the two largest remainders (0.6, stages 0, 1
  // first on ties) get one more: 2/2/3/1.
  CHECK(traces::default_skeleton(8).stage_layers == std::vector<int>{2, 2, 3, 1});
  CHECK_THROWS_AS(traces::default_skeleton(3), UsageError);
  const auto slots = traces::slots(traces::default_skeleton(20));
  REQUIRE(slots.size() == 20);
  CHECK(slots[0].in_h == 112);  // 224 after the stride-2 stem
  CHECK(slots[19].in_h == 7);   // 112 -> 56 -> 28 -> 14 -> 7 at the stage entries
  CHECK(slots[4].stride == 2);
  CHECK(slots[5].stride == 1);
  const traces::Skeleton p = traces::proxy_skeleton(traces::default_skeleton(20));
  CHECK(p.stage_channels == std::vector<int64_t>{16, 40, 80, 160});  // x 0.25, even
  CHECK(p.stem_filters == 8);                                        // 16 x 0.25 = 4, at least 8
}

TEST_CASE("score: (MFLOPs x Mparams)^alpha / latency, by hand") {
  // SEP_3 above: FLOPs 2 x 14,651,392 = 29.302784 MFLOPs; params 4928 = 0.004928 M.
  // alpha 0.5, latency 2 ms: sqrt(29.302784 x 0.004928) / 2 = sqrt(0.1444041195) / 2 = 0.38000542 / 2 = 0.19000271.
  CHECK(op_score(29.302784, 0.004928, 2.0, 0.5) == Approx(0.19000271).epsilon(1e-6));
  CHECK(op_score(29.302784, 0.004928, 2.0, 0.0) == Approx(0.5));  // alpha 0: 1 / latency
  CHECK(op_score(1, 1, INFINITY, 0.5) == 0);                      // an op that cannot run never ranks

  // The same number through generate_space with a benchmark that answers 2 ms for SEP_3 at layer 1 (56x56x64).
  SpaceOptions o;
  o.pool = {"SEP_3", "MB_3_1"};
  o.p = 1;
  o.exploring_layers = 0;
  const HwSpace s = generate_space(o, traces::default_skeleton(20), 1, traces::DType::kF32,
                                   [](const traces::Network&) { return 2.0; });
  bool seen = false;
  for (const auto& r : s.layers[1].ranked) {
    if (r.op != "SEP_3") continue;
    seen = true;
    CHECK(r.mflops == Approx(29.302784));
    CHECK(r.mparams == Approx(0.004928));
    CHECK(r.score == Approx(0.19000271).epsilon(1e-6));
  }
  CHECK(seen);
}

TEST_CASE("space: every layer keeps exactly p ops by descending score, +1 exploring op on the last layers") {
  SpaceOptions o;
  o.p = 4;
  o.exploring_layers = 3;
  // A synthetic benchmark: latency grows with the op's FLOPs, so ranks differ per layer shape.
  const auto lat = [](const traces::Network& n) { return 0.5 + static_cast<double>(n.flops()) * 1e-9; };
  const traces::Skeleton sk = traces::default_skeleton(8);
  const HwSpace s = generate_space(o, sk, 1, traces::DType::kF32, lat);
  REQUIRE(s.layers.size() == 8);
  CHECK(s.benchmarks < 8 * 32);  // layers of one stage after its first share a shape: benchmarked once
  for (const auto& l : s.layers) {
    const bool exploring = l.slot.index >= 8 - 3;
    REQUIRE(l.kept.size() == (exploring ? 5u : 4u));
    for (size_t i = 0; i + 1 < 4; ++i) CHECK(l.kept[i].score >= l.kept[i + 1].score);
    for (size_t i = 0; i < 4; ++i) CHECK(l.kept[i].op == l.ranked[i].op);  // the top p of the whole ranking
    CHECK(l.ranked.size() == 32);
    if (exploring) {
      CHECK(l.kept[4].exploring);
      // The exploring op is the largest-capacity op outside the top p.
      for (size_t i = 4; i < l.ranked.size(); ++i) {
        CHECK(l.ranked[i].mflops * l.ranked[i].mparams <= l.kept[4].mflops * l.kept[4].mparams);
      }
    }
  }
  CHECK(s.size() == Approx(std::pow(4.0, 5) * std::pow(5.0, 3)));
}

TEST_CASE("space: hand-designed list at every layer; bad options are usage errors") {
  SpaceOptions o;
  o.fixed_ops = {"Choice_3", "Choice_5", "Choice_7", "Choice_x"};  // SPOS's own hand-designed space
  const auto lat = [](const traces::Network&) { return 1.0; };
  const HwSpace s = generate_space(o, traces::default_skeleton(4), 1, traces::DType::kF32, lat);
  for (const auto& l : s.layers) {
    CHECK(l.kept.size() == 4);
    std::set<std::string> ops;
    for (const auto& k : l.kept) ops.insert(k.op);
    CHECK(ops == std::set<std::string>(o.fixed_ops.begin(), o.fixed_ops.end()));
  }
  SpaceOptions big;
  big.p = 33;
  CHECK_THROWS_WITH(generate_space(big, traces::default_skeleton(4), 1, traces::DType::kF32, lat),
                    Catch::Contains("space.p: 33 ops per layer asked of a pool of 32"));
  SpaceOptions bad;
  bad.pool = {"SEP_3", "MB_9_6"};
  CHECK_THROWS_WITH(generate_space(bad, traces::default_skeleton(4), 1, traces::DType::kF32, lat),
                    Catch::Contains("unknown op 'MB_9_6'"));
}

TEST_CASE("layer-wise network files: ops on the default skeleton; counts and names checked") {
  const std::string dir = "/tmp/rp-layerwise-test-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  };
  traces::BuildOptions b;
  b.batch = 1;
  const traces::Network n =
      traces::build_model(write("ok.yaml", "resolution: 224\nops: [SEP_3, MB_3_6, Choice_3, Choice_x_SE]\n"), b);
  // The same network built directly: 4 layers on the default skeleton (stages 1/1/1/1).
  const std::vector<traces::OpSpec> ops = {traces::parse_op("SEP_3"), traces::parse_op("MB_3_6"),
                                           traces::parse_op("Choice_3"), traces::parse_op("Choice_x_SE")};
  const traces::Network ref = traces::layerwise_network("ok", traces::default_skeleton(4), ops, 1, traces::DType::kF32);
  CHECK(n.macs() == ref.macs());
  CHECK(n.params() == ref.params());
  CHECK_THROWS_WITH(traces::build_model(write("n.yaml",
                                              "resolution: 224\nskeleton: {stages: [2, 2, 3, 1]}\n"
                                              "ops: [SEP_3, SEP_3]\n"),
                                        b),
                    Catch::Contains("2 ops for a skeleton of 8 learnable layers"));
  CHECK_THROWS_WITH(traces::build_model(write("u.yaml", "resolution: 224\nops: [SEP_3, SEP_9, SEP_3, SEP_3]\n"), b),
                    Catch::Contains("unknown op 'SEP_9'"));
  std::filesystem::remove_all(dir);
}
