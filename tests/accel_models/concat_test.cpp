// The stack switch concat_in_place (issue 25 item 2; docs/tpu-model.md and docs/gpu-model.md, "Concatenation and
// multi-branch modules"): a two-branch module whose concat is a copy (off) or placed in place (on), HBM bytes
// derived by hand on TPUv3 and V100, the time identity (the concat's fusion / kernel is gone, nothing else moves),
// and the structural conditions that keep a concat a copy.
#include <catch2/catch.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/evaluate.h"
#include "accel_models/group_memo.h"
#include "accel_models/simulate.h"
#include "tests/accel_models/tpu_one_tile.h"

using namespace rp;

namespace {

// x (2, 8, 8, 16) -> branch a: 1x1 conv to 16 channels (A), branch b: 1x1 conv to 16 channels (B) -> concat along
// channels (C, 2 x 8 x 8 x 32) -> 1x1 conv to 16 channels (y). With `input_operand`, the concat takes x itself in
// place of B (a network input: it has no producer to write it in place).
traces::Network two_branch(traces::DType dtype, bool input_operand = false) {
  traces::Network net("two_branch", dtype);
  const int x = net.add_input("x", {2, 8, 8, 16});
  traces::ConvAttrs a;
  a.filters = 16;
  const int ba = net.add_conv2d("branch_a", x, a);
  const int bb = input_operand ? x : net.add_conv2d("branch_b", x, a);
  const int c = net.add_concat("concat", {ba, bb}, 3);
  net.add_conv2d("head", c, a);
  return net;
}

using rp::test::tpu_one_tile;

sim::SimResult v100(const traces::Network& net, std::vector<std::string> sets) {
  return accel::simulate(net, *accel::make_accelerator("v100", sets));
}

// The span of the group named `name` in `r` (ms); 0 when there is none.
double span_ms(const sim::SimResult& r, const std::string& name) {
  for (const auto& l : r.layers) {
    if (l.name == name) return l.end_ms - l.start_ms;
  }
  return 0;
}

}  // namespace

TEST_CASE("stack switch concat_in_place: TPU HBM bytes by hand on a two-branch module", "[tpu][stack]") {
  // bf16, 2 bytes: x = 2x8x8x16 x 2 = 4096 B; each branch's weights 16x16 x 2 = 512 B (no bias) and output 4096 B;
  // C = 8192 B; head's weights 32x16 x 2 = 1024 B, y = 4096 B. A TPU has no cache: every fusion reads its inputs.
  // Off: branch a 4096 + 512 + 4096 = 8704; branch b the same 8704; the concat's copy fusion reads A and B (8192)
  // and writes C (8192) = 16384; head reads C + its weights and writes y = 8192 + 1024 + 4096 = 13312.
  // Total 8704 + 8704 + 16384 + 13312 = 47104 B.
  const traces::Network net = two_branch(traces::DType::kBF16);
  const sim::SimResult off = tpu_one_tile(net, {});
  CHECK(off.hbm_bytes == 47104);
  // On: the branches write A and B into C's slices; the concat moves nothing: 47104 - 16384 = 30720 B. The FLOPs
  // are the convs' alone, 2 x 128 positions x (16x16 + 16x16 + 32x16) = 262144, so I rises from 262144 / 47104 to
  // 262144 / 30720 FLOP/B.
  const sim::SimResult on = tpu_one_tile(net, {"lowering.concat_in_place=true"});
  CHECK(on.hbm_bytes == 30720);
  CHECK(on.flops == 262144);
  CHECK(off.flops == 262144);
  CHECK(on.intensity == Approx(262144.0 / 30720).epsilon(1e-12));
  // Time: fusions run one after another (docs/tpu-model.md), so the network is faster by exactly the span of the
  // concat's copy fusion; the branches and the head do the same work either way.
  const double concat_ms = span_ms(off, "concat");
  CHECK(concat_ms > 0);
  CHECK(span_ms(on, "concat") == 0);
  CHECK(on.latency_ms == Approx(off.latency_ms - concat_ms).margin(1e-9));
  CHECK(span_ms(on, "head") == Approx(span_ms(off, "head")).margin(1e-12));
}

TEST_CASE("stack switch concat_in_place: V100 HBM bytes by hand on a two-branch module", "[gpu][stack]") {
  // fp16, the same tensor sizes as above. Everything fits V100's usable L2 (0.75 x 6 MiB), so a tensor read after
  // it was read or written comes from L2; weights and every kernel's output go to HBM.
  // Off: branch a reads x from HBM (4096) + 512 + writes A 4096 = 8704; branch b reads x from L2: 512 + 4096 = 4608;
  // the concat kernel reads A and B from L2 and writes C: 8192; head reads C from L2: 1024 + 4096 = 5120.
  // Total 8704 + 4608 + 8192 + 5120 = 26624 B.
  const traces::Network net = two_branch(traces::DType::kF16);
  const sim::SimResult off = v100(net, {});
  CHECK(off.hbm_bytes == 26624);
  // On: no concat kernel; head reads A and B where the branches wrote them (in L2): 26624 - 8192 = 18432 B.
  const sim::SimResult on = v100(net, {"lowering.concat_in_place=true"});
  CHECK(on.hbm_bytes == 18432);
  // Time: kernels run one after another on one stream, so the network is faster by the concat kernel's span.
  const double concat_ms = span_ms(off, "concat");
  CHECK(concat_ms > 0);
  CHECK(span_ms(on, "concat") == 0);
  CHECK(on.latency_ms == Approx(off.latency_ms - concat_ms).margin(1e-9));
}

TEST_CASE("stack switch concat_in_place: an operand without a producer keeps the concat a copy", "[tpu][gpu][stack]") {
  // concat(A, x): x is a network input, which no layer writes into C's slice, so the concat stays a copy and the
  // switch changes nothing. TPU off and on: branch a 8704; concat reads A + x (8192) and writes C (8192) = 16384;
  // head 13312: 38400 B.
  const traces::Network net = two_branch(traces::DType::kBF16, true);
  CHECK(tpu_one_tile(net, {}).hbm_bytes == 38400);
  CHECK(tpu_one_tile(net, {"lowering.concat_in_place=true"}).hbm_bytes == 38400);
  const traces::Network half = two_branch(traces::DType::kF16, true);
  CHECK(v100(half, {"lowering.concat_in_place=true"}).hbm_bytes == v100(half, {}).hbm_bytes);
}

namespace {

// Networks on x (2, 8, 8, 16) whose concat must stay a copy under the switch, one per structural condition of
// accel::concat_in_place (layout.h): each producer must write its one slice of this concat alone.
traces::Network kept_copy(const std::string& which) {
  traces::Network net(which, traces::DType::kBF16);
  const int x = net.add_input("x", {2, 8, 8, 16});
  traces::ConvAttrs a;
  a.filters = 16;
  const int ba = net.add_conv2d("branch_a", x, a);
  int c = -1;
  if (which == "repeated") {  // concat(A, A): one write cannot fill two slices
    c = net.add_concat("concat", {ba, ba}, 3);
  } else if (which == "shared") {  // A also feeds another concat: it cannot live in both outputs
    const int bb = net.add_conv2d("branch_b", x, a);
    net.add_conv2d("side", net.add_concat("other", {ba, bb}, 3), a);
    c = net.add_concat("concat", {ba, net.add_conv2d("branch_c", x, a)}, 3);
  } else if (which == "nested") {  // an operand that is itself a concat (the outer one stays a copy)
    const int inner = net.add_concat("inner", {ba, net.add_conv2d("branch_b", x, a)}, 3);
    c = net.add_concat("concat", {inner, net.add_conv2d("branch_c", x, a)}, 3);
  } else {  // "broadcast": a computed batch-1 operand (a token) is repeated over the batch: one write, two slices
    const int token = net.add_activation("token", net.add_input("t", {1, 8, 8, 16}), traces::Act::kReLU);
    c = net.add_concat("concat", {ba, token}, 3);
  }
  net.add_conv2d("head", c, a);
  return net;
}

}  // namespace

TEST_CASE("stack switch concat_in_place: each structural condition keeps the concat a copy", "[tpu][gpu][stack]") {
  // The concat named "concat" keeps its copy fusion / kernel: the switch leaves it and its bytes as they were.
  // (A rule that placed it in place would drop its span to 0 and its read + write from the HBM bytes.)
  for (const std::string which : {"repeated", "shared", "nested", "broadcast"}) {
    INFO(which);
    const traces::Network net = kept_copy(which);
    const sim::SimResult off = tpu_one_tile(net, {}), on = tpu_one_tile(net, {"lowering.concat_in_place=true"});
    CHECK(span_ms(on, "concat") > 0);
    CHECK(span_ms(on, "concat") == span_ms(off, "concat"));
  }
}

TEST_CASE("stack switch concat_in_place: the group memo agrees with a full run", "[evaluate][memo][stack]") {
  for (const std::string name : {"tpuv3", "v100"}) {
    INFO(name);
    const traces::Network net = two_branch(name == "tpuv3" ? traces::DType::kBF16 : traces::DType::kF16);
    const auto acc = accel::make_accelerator(name, {"lowering.concat_in_place=true"});
    const sim::SimResult full = accel::simulate(net, *acc);
    accel::GroupMemo memo;
    const accel::Evaluation first = accel::evaluate(net, *acc, memo);
    const accel::Evaluation second = accel::evaluate(net, *acc, memo);
    REQUIRE(first.ok);
    REQUIRE(second.ok);
    for (const accel::Evaluation* e : {&first, &second}) {
      CHECK(e->result.latency_ms == full.latency_ms);
      CHECK(e->result.hbm_bytes == full.hbm_bytes);
    }
  }
}
