// Lowering of the transformer and layout ops on the TPU and GPU families (docs/tpu-model.md, "Lowering of the
// transformer and layout ops"): a hand-derived cycle count, byte count and kernel / fusion count for every new op on
// a small shape. Every figure below is derived in its comment from the config values the test pins.
#include <catch2/catch.hpp>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"

using namespace rp;
using traces::Act;
using traces::DType;
using traces::Network;
using traces::Shape;

namespace {

// TPU (tpuv3) pinned: one core, one tile per fusion, no lane padding, free dispatch; the matrix unit is 2 arrays of
// 128 x 128 with 128-cycle weight loads, the vector unit 128 x 8 x 2 = 2048 ops per cycle + 32 cycles per pass, at
// 940 MHz. Systolic cycles (units_test.cpp): wl + max(ceil(passes x m / arrays), ceil(passes / arrays) x wl) +
// (rows + cols - 2), passes = groups x ceil(k / 128) x ceil(n / 128); wl = 128, fill / drain 254.
std::vector<std::string> tpu_pinned(std::vector<std::string> extra = {}) {
  std::vector<std::string> s = {"lowering.split_batch_across_cores=false",
                                "lowering.min_tiles=1",
                                "lowering.max_tiles=1",
                                "lowering.vector_lane_padding=false",
                                "stack.dispatch_overhead_ns=0",
                                "clock_mhz=940",
                                "matrix_unit.arrays=2",
                                "matrix_unit.rows=128",
                                "matrix_unit.cols=128",
                                "matrix_unit.weight_load_cycles=128",
                                "vector_unit.lanes=128",
                                "vector_unit.sublanes=8",
                                "vector_unit.alus_per_lane=2",
                                "vector_unit.pass_overhead_cycles=32",
                                "vector_unit.cost_per_element.softmax=5",
                                "vector_unit.cost_per_element.layer_norm=5",
                                "vector_unit.cost_per_element.gelu=10",
                                "vector_unit.cost_per_element.hsigmoid=4",
                                "vector_unit.cost_per_element.tanh=5",
                                "vector_unit.cost_per_element.mul=1",
                                "vector_unit.cost_per_element.copy=1"};
  s.insert(s.end(), extra.begin(), extra.end());
  return s;
}

// GPU (v100) pinned: 80 SMs x 8 tensor cores x 64 FMA per clock (512 per SM and clock) at 1530 MHz; every tile of
// the menu 64 x 64, one block per SM, efficiency 1, no per-wave overhead, K padded to 32: a GEMM takes
// ceil(blocks / 80) x 64 x 64 x K_padded / 512 = ceil(blocks / 80) x 8 x K_padded cycles with
// blocks = ceil(M / 64) x ceil(N / 64). CUDA cores: 80 x 64 x 2 (fp16) x 0.5 = 5120 ops per cycle, rounded up per
// kernel. No L2 reuse (every input from HBM), no launch cost, one part per kernel.
std::vector<std::string> gpu_pinned(std::vector<std::string> extra = {}) {
  std::vector<std::string> s = {"clock_mhz=1530",
                                "sms=80",
                                "tensor_cores.per_sm=8",
                                "tensor_cores.fma_per_clock.fp16=64",
                                "tensor_cores.k_tile=32",
                                "stack.block_overhead_cycles=0",
                                "stack.tensor_efficiency=1",
                                "cuda_cores.per_sm=64",
                                "cuda_cores.ops_per_core_per_clock.fp16=2",
                                "stack.cuda_efficiency=0.5",
                                "cuda_cores.cost_per_element.softmax=5",
                                "cuda_cores.cost_per_element.layer_norm=5",
                                "cuda_cores.cost_per_element.gelu=10",
                                "cuda_cores.cost_per_element.hsigmoid=4",
                                "cuda_cores.cost_per_element.tanh=5",
                                "cuda_cores.cost_per_element.mul=1",
                                "cuda_cores.cost_per_element.copy=1",
                                "l2.usable_fraction=0",
                                "stack.launch_overhead_ns=0",
                                "lowering.max_tiles=1"};
  for (const char* t : {"large", "medium", "small", "tiny"}) {
    const std::string p = std::string("tensor_cores.tiles.") + t + ".";
    for (const char* kv : {"m=64", "n=64", "blocks_per_sm=1", "efficiency=1"}) s.push_back(p + kv);
  }
  s.insert(s.end(), extra.begin(), extra.end());
  return s;
}

sim::SimResult run(const Network& n, const std::string& acc, const std::vector<std::string>& sets) {
  return accel::simulate(n, *accel::make_accelerator(acc, sets));
}

sim::SimResult tpu(const Network& n, std::vector<std::string> extra = {}) {
  return run(n, "tpuv3", tpu_pinned(std::move(extra)));
}

sim::SimResult gpu(const Network& n, std::vector<std::string> extra = {}) {
  return run(n, "v100", gpu_pinned(std::move(extra)));
}

double busy_ms(const sim::SimResult& r, const std::string& unit) {
  for (const auto& u : r.units) {
    if (u.name == unit) return u.busy_ms;
  }
  return 0;
}

int64_t tasks(const sim::SimResult& r, const std::string& unit) {
  for (const auto& u : r.units) {
    if (u.name == unit) return u.tasks;
  }
  return 0;
}

double tpu_ms(double cycles) { return cycles / 940e6 * 1e3; }
double gpu_ms(double cycles) { return cycles / 1530e6 * 1e3; }

std::vector<std::string> groups(const Network& n, const std::string& acc, const std::vector<std::string>& sets) {
  std::vector<std::string> out;
  for (const auto& g : accel::make_accelerator(acc, sets)->lower(n).groups) out.push_back(g.name);
  return out;
}

// One op on one input, then nothing: the op's own fusion / kernel.
template <typename F>
Network one_op(Shape in, F&& add) {
  Network n("op", DType::kBF16);
  add(n, n.add_input("x", in));
  return n;
}

}  // namespace

TEST_CASE("batched matmul: batch x heads independent GEMMs, both operands read as inputs, no weights", "[lowering]") {
  // (2, 4, 64, 32) x (2, 4, 32, 48) -> (2, 4, 64, 48): 8 GEMMs of m = 64, k = 32, n = 48.
  Network n("mm", DType::kBF16);
  n.add_matmul("mm", n.add_input("a", {2, 4, 64, 32}), n.add_input("b", {2, 4, 32, 48}));
  // Bytes: a 2 x 4 x 64 x 32 x 2 = 32,768 + b 2 x 4 x 32 x 48 x 2 = 24,576 + out 2 x 4 x 64 x 48 x 2 = 49,152.
  const double bytes = 32768 + 24576 + 49152;
  // TPU: 8 groups x 1 x 1 = 8 passes; ceil(8 x 64 / 2) = 256 rows vs ceil(8 / 2) x 128 = 512 weight-load cycles:
  // 128 + 512 + 254 = 894 cycles.
  const sim::SimResult t = tpu(n);
  CHECK(busy_ms(t, "matrix") == Approx(tpu_ms(894)).margin(1e-9));
  CHECK(t.hbm_bytes == bytes);
  // GPU: stacked along M: 512 x 32 x 48; blocks 8 x 1 = 8, one wave; 8 x 32 = 256 cycles.
  const sim::SimResult g = gpu(n);
  CHECK(busy_ms(g, "sm") == Approx(gpu_ms(256)).margin(1e-9));
  CHECK(g.hbm_bytes == bytes);
  CHECK(g.layers[0].unit == "tensor");
}

TEST_CASE("matmul with trans_b costs as the plain one (dot_general / cuBLAS op(B))", "[lowering]") {
  // (2, 4, 64, 32) x (2, 4, 48, 32)^T: the GEMM and bytes of the batched case above (b is 24,576 B either way).
  Network n("mmt", DType::kBF16);
  n.add_matmul("mm", n.add_input("a", {2, 4, 64, 32}), n.add_input("b", {2, 4, 48, 32}), true);
  CHECK(busy_ms(tpu(n), "matrix") == Approx(tpu_ms(894)).margin(1e-9));
  CHECK(busy_ms(gpu(n), "sm") == Approx(gpu_ms(256)).margin(1e-9));
  CHECK(tpu(n).hbm_bytes == 32768 + 24576 + 49152);
}

TEST_CASE("broadcast matmul operands are read once; a shared weight makes one GEMM", "[lowering]") {
  // b broadcast over the batch: (2, 4, 64, 32) x (1, 4, 32, 48): still 8 GEMMs (894 cycles as above), but b is read
  // once: 4 x 32 x 48 x 2 = 12,288 B. Bytes 32,768 + 12,288 + 49,152 = 94,208.
  Network bc("bcast", DType::kBF16);
  bc.add_matmul("mm", bc.add_input("a", {2, 4, 64, 32}), bc.add_input("b", {1, 4, 32, 48}));
  CHECK(tpu(bc).hbm_bytes == 94208);
  CHECK(busy_ms(tpu(bc), "matrix") == Approx(tpu_ms(894)).margin(1e-9));
  CHECK(gpu(bc).hbm_bytes == 94208);
  // A constant second operand (1, 1, 32, 48) shared by every row: one GEMM of m = 2 x 64 = 128, k = 32, n = 48.
  // TPU: 1 pass, ceil(128 / 2) = 64 rows < 128: 128 + 128 + 254 = 510 cycles. Bytes: a 2 x 64 x 32 x 2 = 8,192,
  // w 32 x 48 x 2 = 3,072, out 2 x 64 x 48 x 2 = 12,288: 23,552. Both cores (batch split): each core reads the whole
  // constant: 8,192 + 2 x 3,072 + 12,288 = 26,624.
  Network w("shared", DType::kBF16);
  w.add_matmul("mm", w.add_input("a", {2, 1, 64, 32}), w.add_constant("w", {1, 1, 32, 48}));
  CHECK(busy_ms(tpu(w), "matrix") == Approx(tpu_ms(510)).margin(1e-9));
  CHECK(tpu(w).hbm_bytes == 23552);
  CHECK(tpu(w, {"lowering.split_batch_across_cores=true"}).hbm_bytes == 26624);
  // GPU: 128 x 32 x 48: blocks 2 x 1 = 2: 8 x 32 = 256 cycles; the constant is read once (one device).
  CHECK(busy_ms(gpu(w), "sm") == Approx(gpu_ms(256)).margin(1e-9));
  CHECK(gpu(w).hbm_bytes == 23552);
}

TEST_CASE("softmax and layer norm: one vector / CUDA-core pass over the rows", "[lowering]") {
  // (2, 1, 64, 256): 32,768 elements x 5 ops = 163,840 ops. TPU: 32 + 163,840 / 2048 = 32 + 80 = 112 cycles.
  // GPU: 163,840 / 5120 = 32 cycles. Bytes: in + out = 2 x 65,536.
  for (const bool ln : {false, true}) {
    const Network n = one_op({2, 1, 64, 256}, [&](Network& net, int x) {
      ln ? net.add_layer_norm("norm", x) : net.add_softmax("softmax", x);
    });
    const sim::SimResult t = tpu(n), g = gpu(n);
    CHECK(busy_ms(t, "vector") == Approx(tpu_ms(112)).margin(1e-9));
    CHECK(t.hbm_bytes == 131072);
    CHECK(busy_ms(g, "sm") == Approx(gpu_ms(32)).margin(1e-9));
    CHECK(g.hbm_bytes == 131072);
    CHECK(tasks(g, "launch") == 1);
  }
}

TEST_CASE("gelu, hsigmoid and tanh each cost their own element operations", "[lowering]") {
  // (1, 1, 64, 128) = 8,192 elements. TPU: 32 + 8,192 x ops / 2048; GPU: ceil(8,192 x ops / 5120).
  //   gelu 10 ops: TPU 32 + 40 = 72, GPU 16;  hsigmoid 4: TPU 32 + 16 = 48, GPU ceil(6.4) = 7;
  //   tanh 5: TPU 32 + 20 = 52, GPU 8.
  struct Case {
    Act act;
    double tpu_cycles, gpu_cycles;
  };
  for (const Case c : {Case{Act::kGELU, 72, 16}, Case{Act::kHSigmoid, 48, 7}, Case{Act::kTanh, 52, 8}}) {
    const Network n = one_op({1, 1, 64, 128}, [&](Network& net, int x) { net.add_activation("act", x, c.act); });
    CHECK(busy_ms(tpu(n), "vector") == Approx(tpu_ms(c.tpu_cycles)).margin(1e-9));
    CHECK(busy_ms(gpu(n), "sm") == Approx(gpu_ms(c.gpu_cycles)).margin(1e-9));
  }
}

TEST_CASE("sqrt (cosine attention's 2-norm) costs its own element operations", "[lowering]") {
  // (1, 1, 64, 128) = 8,192 elements at the default 2 ops (reciprocal square root estimate, multiply):
  // TPU 32 + 8,192 x 2 / 2048 = 40 cycles; GPU ceil(8,192 x 2 / 5120) = ceil(3.2) = 4; not fused on the GPU.
  const Network n = one_op({1, 1, 64, 128}, [](Network& net, int x) { net.add_activation("act", x, Act::kSqrt); });
  CHECK(busy_ms(tpu(n), "vector") == Approx(tpu_ms(40)).margin(1e-9));
  CHECK(busy_ms(gpu(n), "sm") == Approx(gpu_ms(4)).margin(1e-9));
}

TEST_CASE("embedding reads the gathered rows, not the table", "[lowering]") {
  // ids (2, 1, 16, 1) into a 1000 x 64 table: out (2, 1, 16, 64) = 2,048 elements, a copy each:
  // TPU 32 + 1 = 33 cycles, GPU ceil(2,048 / 5120) = 1 cycle. Bytes: ids 32 x 2 = 64 + rows 4,096 + out 4,096
  // = 8,256 (the 128,000-byte table is not streamed; its 64,000 parameters count as weights).
  const Network n = one_op({2, 1, 16, 1}, [](Network& net, int x) { net.add_embedding("embed", x, 1000, 64); });
  CHECK(n.params() == 64000);
  const sim::SimResult t = tpu(n), g = gpu(n);
  CHECK(busy_ms(t, "vector") == Approx(tpu_ms(33)).margin(1e-9));
  CHECK(t.hbm_bytes == 8256);
  CHECK(busy_ms(g, "sm") == Approx(gpu_ms(1)).margin(1e-9));
  CHECK(g.hbm_bytes == 8256);
}

TEST_CASE("reshape: free in row-major memory; on the TPU a relayout when the last dimension changes", "[lowering]") {
  // x (2, 1, 16, 64) -> reshape -> softmax. A free reshape launches nothing and the softmax reads its input
  // directly: 4,096 + 4,096 bytes. A relayout is a copy fusion first: 2,048 copies (32 + 1 = 33 cycles) and a round
  // trip of 8,192 bytes more.
  auto net = [](Shape to) {
    return one_op({2, 1, 16, 64}, [&](Network& n, int x) { n.add_softmax("softmax", n.add_reshape("view", x, to)); });
  };
  const Network keeps_c = net({2, 16, 1, 64}), changes_c = net({2, 1, 32, 32});
  // TPU: keeping c is free; changing it (16 x 64 -> 32 x 32) is a relayout. Softmax: 2,048 x 5 / 2048 = 5 + 32.
  CHECK(tpu(keeps_c).hbm_bytes == 8192);
  CHECK(tasks(tpu(keeps_c), "sequencer") == 1);
  CHECK(busy_ms(tpu(keeps_c), "vector") == Approx(tpu_ms(37)).margin(1e-9));
  CHECK(tpu(changes_c).hbm_bytes == 16384);
  CHECK(tasks(tpu(changes_c), "sequencer") == 2);
  CHECK(busy_ms(tpu(changes_c), "vector") == Approx(tpu_ms(37 + 33)).margin(1e-9));
  // GPU: both free, one kernel of 8,192 bytes (softmax: ceil(10,240 / 5120) = 2 cycles).
  for (const Network* n : {&keeps_c, &changes_c}) {
    CHECK(gpu(*n).hbm_bytes == 8192);
    CHECK(tasks(gpu(*n), "launch") == 1);
    CHECK(busy_ms(gpu(*n), "sm") == Approx(gpu_ms(2)).margin(1e-9));
  }
}

TEST_CASE("permute: free when only size-1 dims move (row-major), absorbed by a matmul, else a copy", "[lowering]") {
  auto then_softmax = [](Shape in, std::array<int, 4> perm) {
    return one_op(in, [&](Network& n, int x) { n.add_softmax("softmax", n.add_permute("perm", x, perm)); });
  };
  // (2, 1, 16, 64) -> (2, 16, 1, 64) moves the size-1 h: free on the GPU (8,192 bytes, one kernel); on the TPU the
  // second-minor dim changes (16 -> 1), a copy fusion: + 2,048 copies (33 cycles) and 8,192 bytes.
  const Network ones = then_softmax({2, 1, 16, 64}, {{0, 2, 1, 3}});
  CHECK(gpu(ones).hbm_bytes == 8192);
  CHECK(tasks(gpu(ones), "launch") == 1);
  CHECK(tpu(ones).hbm_bytes == 16384);
  CHECK(busy_ms(tpu(ones), "vector") == Approx(tpu_ms(37 + 33)).margin(1e-9));
  // (2, 4, 16, 64) -> (2, 16, 4, 64) (heads to sequence): a copy on both. 8,192 elements: copy 8,192 ops, softmax
  // 40,960. TPU: (32 + 4) + (32 + 20) = 88 cycles; GPU: ceil(8,192 / 5120) + 40,960 / 5120 = 2 + 8 = 10 cycles.
  // Bytes: 4 x 16,384.
  const Network heads = then_softmax({2, 4, 16, 64}, {{0, 2, 1, 3}});
  CHECK(tpu(heads).hbm_bytes == 65536);
  CHECK(busy_ms(tpu(heads), "vector") == Approx(tpu_ms(88)).margin(1e-9));
  CHECK(gpu(heads).hbm_bytes == 65536);
  CHECK(tasks(gpu(heads), "launch") == 2);
  CHECK(busy_ms(gpu(heads), "sm") == Approx(gpu_ms(10)).margin(1e-9));
  // k (2, 4, 16, 64) transposed to (2, 4, 64, 16) and read only by a matmul: absorbed on both (one fusion / kernel,
  // bytes q 16,384 + k 16,384 + out (2, 4, 16, 16) 4,096 = 36,864), while the same transpose read by a softmax copies.
  Network mm("qk", DType::kBF16);
  const int q = mm.add_input("q", {2, 4, 16, 64});
  mm.add_matmul("qk", q, mm.add_permute("kT", mm.add_input("k", {2, 4, 16, 64}), {{0, 1, 3, 2}}));
  CHECK(groups(mm, "tpuv3", tpu_pinned()) == std::vector<std::string>{"kT", "qk"});
  CHECK(tasks(tpu(mm), "sequencer") == 1);
  CHECK(tpu(mm).hbm_bytes == 36864);
  CHECK(tasks(gpu(mm), "launch") == 1);
  CHECK(gpu(mm).hbm_bytes == 36864);
  const Network swapped = then_softmax({2, 4, 16, 64}, {{0, 1, 3, 2}});
  CHECK(tpu(swapped).hbm_bytes == 65536);
  CHECK(gpu(swapped).hbm_bytes == 65536);
}

TEST_CASE("window partition / reverse and roll: copies, free where the data stays in place", "[lowering]") {
  // (1, 8, 8, 32) = 2,048 elements. Window 4: four 4 x 4 windows gathered from strided rows: a copy of 2,048
  // (TPU 33 cycles, GPU 1 cycle) with a round trip of 4,096 + 4,096 bytes. Window 8 spans the whole width: free.
  auto part = [](int window) {
    return one_op({1, 8, 8, 32}, [&](Network& n, int x) { n.add_window_partition("win", x, window); });
  };
  CHECK(tpu(part(4)).hbm_bytes == 8192);
  CHECK(busy_ms(tpu(part(4)), "vector") == Approx(tpu_ms(33)).margin(1e-9));
  CHECK(gpu(part(4)).hbm_bytes == 8192);
  CHECK(busy_ms(gpu(part(4)), "sm") == Approx(gpu_ms(1)).margin(1e-9));
  CHECK(tpu(part(8)).hbm_bytes == 0);
  CHECK(tasks(tpu(part(8)), "sequencer") == 0);
  CHECK(tasks(gpu(part(8)), "launch") == 0);
  // The reverse of (4, 1, 16, 32) windows of 4 back to 8 x 8: the same copy.
  const Network rev = one_op({4, 1, 16, 32}, [](Network& n, int x) { n.add_window_reverse("rev", x, 4, 8, 8); });
  CHECK(tpu(rev).hbm_bytes == 8192);
  CHECK(busy_ms(tpu(rev), "vector") == Approx(tpu_ms(33)).margin(1e-9));
  CHECK(gpu(rev).hbm_bytes == 8192);
  // Roll by 2 along h and w: a copy of 2,048 (33 / 1 cycles, 8,192 bytes); by 0: free.
  auto roll = [](int shift) { return one_op({1, 8, 8, 32}, [&](Network& n, int x) { n.add_roll("roll", x, shift); }); };
  CHECK(tpu(roll(2)).hbm_bytes == 8192);
  CHECK(busy_ms(tpu(roll(2)), "vector") == Approx(tpu_ms(33)).margin(1e-9));
  CHECK(busy_ms(gpu(roll(2)), "sm") == Approx(gpu_ms(1)).margin(1e-9));
  CHECK(tpu(roll(0)).hbm_bytes == 0);
  CHECK(gpu(roll(0)).hbm_bytes == 0);
}

TEST_CASE("concat and slice on the w axis", "[lowering]") {
  // concat of two (2, 1, 8, 64) along w -> (2, 1, 16, 64): 2,048 copies (TPU 33 cycles, GPU 1), bytes
  // 2,048 + 2,048 in + 4,096 out = 8,192, on both.
  Network cat("cat", DType::kBF16);
  cat.add_concat("cat", {cat.add_input("a", {2, 1, 8, 64}), cat.add_input("b", {2, 1, 8, 64})}, 2);
  CHECK(tpu(cat).hbm_bytes == 8192);
  CHECK(busy_ms(tpu(cat), "vector") == Approx(tpu_ms(33)).margin(1e-9));
  CHECK(gpu(cat).hbm_bytes == 8192);
  CHECK(busy_ms(gpu(cat), "sm") == Approx(gpu_ms(1)).margin(1e-9));
  // Slice [0, 8) of w from (2, 1, 16, 64): n = 2 before the axis, not contiguous: a copy of 1,024 elements
  // (TPU 32 + 1 = 33 cycles), bytes 4,096 + 2,048 = 6,144 on both.
  auto slice = [](Shape in, int axis) {
    return one_op(in, [&](Network& n, int x) { n.add_softmax("softmax", n.add_slice("slice", x, axis, 0, 1)); });
  };
  const Network strided = one_op({2, 1, 16, 64}, [](Network& n, int x) { n.add_slice("slice", x, 2, 0, 8); });
  CHECK(tpu(strided).hbm_bytes == 6144);
  CHECK(busy_ms(tpu(strided), "vector") == Approx(tpu_ms(33)).margin(1e-9));
  CHECK(gpu(strided).hbm_bytes == 6144);
  // The first position of w from (1, 1, 16, 64), then a softmax (64 elements): a contiguous block in row-major
  // memory, free on the GPU (one kernel: 128 + 128 bytes); on the TPU a slice of the tiled second-minor dim copies
  // (two fusions: 2,048 + 128, then 128 + 128 bytes).
  const Network row = slice({1, 1, 16, 64}, 2);
  CHECK(tasks(gpu(row), "launch") == 1);
  CHECK(gpu(row).hbm_bytes == 256);
  CHECK(tasks(tpu(row), "sequencer") == 2);
  CHECK(tpu(row).hbm_bytes == 2048 + 128 + 256);
  // The first batch element of (2, 1, 16, 64): contiguous and whole tiles: free on both (2,048 + 2,048 bytes).
  const Network first = slice({2, 1, 16, 64}, 0);
  CHECK(tpu(first).hbm_bytes == 4096);
  CHECK(gpu(first).hbm_bytes == 4096);
}

namespace {

// q (1, 2, 16, 32), k and v (1, 2, 128, 32): 2 heads, 16 queries, 128 keys, D = Dv = 32.
Network attention(int64_t sq = 16, int64_t skv = 128, int64_t cache = 0) {
  Network n("attn", DType::kBF16);
  const int q = n.add_input("q", {1, 2, sq, 32}), k = n.add_input("k", {1, 2, skv, 32});
  n.add_attention("attn", q, k, n.add_input("v", {1, 2, skv, 32}), false, cache);
  return n;
}

}  // namespace

TEST_CASE("attention fused: one group, GEMM work of equal MACs plus the softmax on the vector unit", "[lowering]") {
  const Network n = attention();
  // MACs 2 x 16 x 128 x (32 + 32) = 262,144; the fused GEMM per head: m = 16, k = 32, n = 2 x 128 = 256.
  CHECK(n.macs() == 262144);
  const std::vector<std::string> fused = {"stack.lowering.fused_attention=true"};
  // TPU: 2 heads x ceil(32 / 128) x ceil(256 / 128) = 4 passes; ceil(4 x 16 / 2) = 32 rows vs ceil(4 / 2) x 128
  // = 256: 128 + 256 + 254 = 638 cycles. Vector: 2 x 16 x 128 scores x (softmax 5 + scale 1) = 24,576 ops:
  // 32 + 12 = 44 cycles. Bytes: q 2,048 + k 16,384 + v 16,384 + o 2,048 = 36,864.
  const sim::SimResult t = tpu(n, fused);
  CHECK(tasks(t, "sequencer") == 1);
  CHECK(busy_ms(t, "matrix") == Approx(tpu_ms(638)).margin(1e-9));
  CHECK(busy_ms(t, "vector") == Approx(tpu_ms(44)).margin(1e-9));
  CHECK(t.hbm_bytes == 36864);
  // GPU: M = 2 x 16 = 32, K = 32, N = 256: blocks 1 x 4 = 4: 8 x 32 = 256 cycles; CUDA cores ceil(24,576 / 5120) = 5.
  const sim::SimResult g = gpu(n, fused);
  CHECK(tasks(g, "launch") == 1);
  CHECK(busy_ms(g, "sm") == Approx(gpu_ms(256 + 5)).margin(1e-9));
  CHECK(g.hbm_bytes == 36864);
}

TEST_CASE("attention unfused: QK^T, scale, softmax, AV with the scores' HBM round trips", "[lowering]") {
  const Network n = attention();
  const std::vector<std::string> unfused = {"stack.lowering.fused_attention=false"};
  // Scores (1, 2, 16, 128) = 4,096 elements = 8,192 bytes.
  // TPU fusions: attn.qk (the scale fused into it: XLA fuses the elementwise consumer), attn.softmax, attn.av.
  CHECK(groups(n, "tpuv3", tpu_pinned(unfused)) == std::vector<std::string>{"attn.qk", "attn.softmax", "attn.av"});
  // QK^T per head 16 x 32 x 128: 2 passes, 16 rows: 128 + 128 + 254 = 510; AV per head 16 x 128 x 32: 510 too.
  // Vector: scale 4,096 ops (32 + 2) + softmax 20,480 (32 + 10) = 76 cycles.
  // Bytes: qk q 2,048 + k 16,384 + the 2-byte scale factor + scores 8,192; softmax 8,192 + 8,192; av 8,192 + v
  // 16,384 + o 2,048: 69,634 = the fused 36,864 + 4 x 8,192 of scores + 2.
  const sim::SimResult t = tpu(n, unfused);
  CHECK(tasks(t, "sequencer") == 3);
  CHECK(busy_ms(t, "matrix") == Approx(tpu_ms(1020)).margin(2e-9));
  CHECK(busy_ms(t, "vector") == Approx(tpu_ms(76)).margin(1e-9));
  CHECK(t.hbm_bytes == 69634);
  // GPU kernels: qk, scale (a separate kernel: no epilogue rule fuses it), softmax, av. qk: M 32, K 32, N 128:
  // blocks 2: 256 cycles; scale ceil(4,096 / 5120) = 1; softmax 20,480 / 5120 = 4; av: M 32, K 128, N 32: 1 block,
  // 8 x 128 = 1,024 cycles. Bytes: 69,634 + the scale kernel's round trip of the scores (2 x 8,192) = 86,018.
  CHECK(groups(n, "v100", gpu_pinned(unfused)) ==
        std::vector<std::string>{"attn.qk", "attn.scale", "attn.softmax", "attn.av"});
  const sim::SimResult g = gpu(n, unfused);
  CHECK(tasks(g, "launch") == 4);
  CHECK(busy_ms(g, "sm") == Approx(gpu_ms(256 + 1 + 4 + 1024)).margin(4e-9));
  CHECK(g.hbm_bytes == 86018);
  // The same MACs either way (the results' FLOPs are the network's).
  CHECK(t.flops == tpu(n, {"stack.lowering.fused_attention=true"}).flops);
}

TEST_CASE("attention in a decode step reads its KV cache from HBM", "[lowering]") {
  // One new position (Sq = Skv = 1) over 127 cached ones: keys 128. Cache: 2 (k and v) x B 1 x H 2 x 127 x D 32 x 2
  // bytes = 32,512 besides q, k, v, o (4 x 1 x 2 x 1 x 32 x 2 = 4 x 128): 33,024 on both, fused.
  const Network n = attention(1, 1, 127);
  const std::vector<std::string> fused = {"stack.lowering.fused_attention=true"};
  CHECK(tpu(n, fused).hbm_bytes == 33024);
  CHECK(gpu(n, fused).hbm_bytes == 33024);
  // TPU GEMM per head: m = 1, k = 32, n = 256: 4 passes, 2 rows vs 2 x 128: 638 cycles.
  CHECK(busy_ms(tpu(n, fused), "matrix") == Approx(tpu_ms(638)).margin(1e-9));
  // Unfused on the TPU, as an eager framework appends to the cache: attn.k_cat = concat(cache 16,256 B, k 128 B)
  // -> 16,384 B, the same for v: 2 x (16,384 + 16,384); qk: q 128 + 16,384 + 2 + scores (1, 2, 1, 128) 512;
  // softmax 512 + 512; av 512 + 16,384 + o 128: 65,536 + 17,026 + 1,024 + 17,024 = 100,610.
  CHECK(tpu(n, {"stack.lowering.fused_attention=false"}).hbm_bytes == 100610);
}

TEST_CASE("stack.lowering.fused_attention defaults to the stack each config models", "[lowering][config]") {
  const Network n = attention();
  auto fused = [&](const std::string& acc) { return accel::make_accelerator(acc)->lower(n).groups.size() == 1; };
  CHECK_FALSE(fused("tpuv2"));
  CHECK_FALSE(fused("tpuv3"));
  CHECK_FALSE(fused("tpuv4"));
  CHECK_FALSE(fused("v100"));
  CHECK_FALSE(fused("v100-modern"));  // FlashAttention needs Ampere or later
  CHECK_FALSE(fused("h100"));         // the paper-era stack profile
  CHECK(fused("a100-modern"));
  CHECK(fused("h100-modern"));
  // The key, on both families, with the GPU's shorthand for the active profile.
  CHECK(accel::make_accelerator("v100", {"stack.lowering.fused_attention=true"})->lower(n).groups.size() == 1);
  CHECK(accel::make_accelerator("tpuv3", {"lowering.fused_attention=true"})->lower(n).groups.size() == 1);
}

namespace {

// A BERT-base-like encoder layer at batch 8, sequence 128 (12 heads of 64): qkv projection, slices, head
// permutes, attention, output projection, residual add, layer norm.
Network encoder_layer() {
  Network n("encoder", DType::kBF16);
  const int x = n.add_input("x", {8, 1, 128, 768});
  const int qkv = n.add_dense("qkv", x, 3 * 768);
  std::vector<int> heads;
  for (int i = 0; i < 3; ++i) {
    const std::string p = std::string(1, "qkv"[i]);
    const int s = n.add_slice(p, qkv, 3, 768 * i, 768);
    heads.push_back(n.add_permute(p + ".heads", n.add_reshape(p + ".split", s, {8, 128, 12, 64}), {{0, 2, 1, 3}}));
  }
  const int a = n.add_attention("attn", heads[0], heads[1], heads[2]);
  const int merged = n.add_reshape("merge", n.add_permute("attn.tokens", a, {{0, 2, 1, 3}}), {8, 1, 128, 768});
  n.add_layer_norm("norm", n.add_add("residual", n.add_dense("out", merged, 768), x));
  return n;
}

}  // namespace

TEST_CASE("an encoder layer: fused attention saves exactly the scores' round trips", "[lowering]") {
  const Network n = encoder_layer();
  // Scores: 8 x 12 x 128 x 128 x 2 bytes = 3,145,728.
  const double scores = 3145728;
  // TPU (tpuv3 as shipped, 2 cores): unfused, the scores are written by attn.qk, read and written by attn.softmax
  // and read by attn.av: 4 x scores. The 2-byte scale factor each core reads whole (broadcast) is lost in the whole
  // bytes of each of attn.qk's 16 tiles (its per-core input 1,572,866 bytes / 16 rounds down to 98,304 per tile).
  const sim::SimResult tf = run(n, "tpuv3", {"stack.lowering.fused_attention=true"});
  const sim::SimResult tu = run(n, "tpuv3", {"stack.lowering.fused_attention=false"});
  CHECK(tu.hbm_bytes - tf.hbm_bytes == 4 * scores);
  CHECK(tf.latency_ms < tu.latency_ms);
  CHECK(tf.flops == tu.flops);
  // GPU (v100, L2 reuse off): the scale is a kernel of its own too: 6 x scores + the 2-byte factor.
  const sim::SimResult gf = run(n, "v100", {"l2.usable_fraction=0", "stack.lowering.fused_attention=true"});
  const sim::SimResult gu = run(n, "v100", {"l2.usable_fraction=0", "stack.lowering.fused_attention=false"});
  CHECK(gu.hbm_bytes - gf.hbm_bytes == 6 * scores + 2);
  CHECK(gf.latency_ms < gu.latency_ms);
}

TEST_CASE("a free view passes its producer's dependency on to its consumers", "[lowering]") {
  // relu -> free reshape (c kept) -> softmax on the TPU (DAG order): the softmax must start after the relu ends.
  const Network n = one_op({2, 1, 16, 64}, [](Network& net, int x) {
    net.add_softmax("softmax", net.add_reshape("view", net.add_activation("relu", x, Act::kReLU), {2, 16, 1, 64}));
  });
  const sim::SimResult r = tpu(n);
  double relu_end = -1, softmax_start = -1;
  for (const auto& l : r.layers) {
    if (l.name == "relu") relu_end = l.end_ms;
    if (l.name == "softmax") softmax_start = l.start_ms;
  }
  REQUIRE(relu_end > 0);
  CHECK(softmax_start >= relu_end);
}

TEST_CASE("a matmul of more independent GEMMs than a task can carry is refused by name", "[lowering][errors]") {
  // (65536, 32768, 1, 1) x (65536, 32768, 1, 1): 2^31 GEMMs of 1 x 1 x 1, one more than an int32 holds.
  Network n("many", DType::kBF16);
  n.add_matmul("mm", n.add_input("a", {65536, 32768, 1, 1}), n.add_input("b", {65536, 32768, 1, 1}));
  CHECK_THROWS_WITH(accel::make_accelerator("tpuv3")->lower(n),
                    "layer 'mm' is 2147483648 independent GEMMs, more than the matrix unit's limit of 2147483647 per "
                    "layer");
}

TEST_CASE("a sequence is tiled by its positions on the TPU", "[lowering]") {
  // A 768 -> 3072 dense layer over one sequence of 1024 tokens (batch 1, tpuv3 as shipped). Weights (768 x 3072 +
  // 3072) x 2 = 4,724,736 bytes fit the 8 MiB weight budget; activation buffers (16 MiB - 4,724,736) / 2 =
  // 6,026,240 bytes. The tensors stream 1024 x 768 x 2 + 1024 x 3072 x 2 = 7,864,320 bytes: tiled by N x H (one row,
  // the whole sequence) it would not fit; by its 1024 positions it takes max(min_tiles 4, ceil(7,864,320 /
  // 6,026,240) = 2) = 4 tiles, one GEMM task each.
  Network n("ffn", DType::kBF16);
  n.add_dense("ff1", n.add_input("x", {1, 1, 1024, 768}), 3072);
  const sim::SimResult r = run(n, "tpuv3", {});
  CHECK(tasks(r, "matrix") == 4);
}
