// Memory footprint of a network (traces/network/memory.h): weights, peak live activations and KV cache on small
// DAGs, every expected value derived by hand in the comments. fp32 throughout: 4 bytes per element. Steps are layer
// ids; a buffer is live from its producer's step to its last consumer's step (a network output: to the last step).
#include <catch2/catch.hpp>

#include "traces/network/memory.h"
#include "traces/network/network.h"

using namespace rp::traces;

TEST_CASE("memory: a chain frees each tensor after its consumer", "[memory]") {
  Network n("chain", DType::kF32);
  const int x = n.add_input("x", {1, 1, 1, 100});       // step 0: 100 elements = 400 B, last used at step 1
  const int d1 = n.add_dense("d1", x, 50, false);       // step 1: 50 = 200 B, used at step 2; 100 x 50 weights
  const int r = n.add_activation("r", d1, Act::kReLU);  // step 2: 200 B, used at step 3
  n.add_dense("d2", r, 10, false);                      // step 3: 10 = 40 B, the output; 50 x 10 weights
  // Live per step: 0: x = 400; 1: x + d1 = 600; 2: d1 + r = 400; 3: r + d2 = 240. Peak 600 at step 1.
  const MemoryFootprint m = memory_footprint(n);
  CHECK(m.activation_bytes == 600);
  CHECK(m.peak_layer == d1);
  CHECK(m.weight_bytes == (100 * 50 + 50 * 10) * 4);  // 22,000 B
  CHECK(m.kv_cache_bytes == 0);
  CHECK(m.total() == 22600);
}

TEST_CASE("memory: a residual branch keeps its input live until the add", "[memory]") {
  Network n("residual", DType::kF32);
  const int x = n.add_input("x", {1, 1, 1, 100});      // step 0: 400 B, last used by the add at step 3
  const int a = n.add_dense("a", x, 100, false);       // step 1: 400 B, used at step 2
  const int b = n.add_activation("b", a, Act::kReLU);  // step 2: 400 B, used at step 3
  n.add_add("s", x, b);                                // step 3: 400 B, the output
  // Live: 0: x = 400; 1: x + a = 800; 2: x + a + b = 1200; 3: x + b + s = 1200 (a freed after step 2).
  // Peak 1200, first reached at step 2. Without the skip x would be freed after step 1: peak 800.
  const MemoryFootprint m = memory_footprint(n);
  CHECK(m.activation_bytes == 1200);
  CHECK(m.peak_layer == b);
  CHECK(m.weight_bytes == 100 * 100 * 4);
}

TEST_CASE("memory: a concat holds both branches and its output", "[memory]") {
  Network n("concat", DType::kF32);
  const int x = n.add_input("x", {1, 1, 1, 10});  // step 0: 40 B, last used at step 2
  const int p = n.add_dense("p", x, 20, false);   // step 1: 80 B, used at step 3
  const int q = n.add_dense("q", x, 30, false);   // step 2: 120 B, used at step 3
  const int c = n.add_concat("c", {p, q});        // step 3: 50 = 200 B, the output
  // Live: 0: 40; 1: x + p = 120; 2: x + p + q = 240; 3: p + q + c = 400 (x freed after step 2). Peak 400 at step 3.
  const MemoryFootprint m = memory_footprint(n);
  CHECK(m.activation_bytes == 400);
  CHECK(m.peak_layer == c);
  CHECK(m.weight_bytes == (10 * 20 + 10 * 30) * 4);
}

TEST_CASE("memory: a reshape is a view of its input's buffer", "[memory]") {
  Network n("view", DType::kF32);
  const int x = n.add_input("x", {1, 1, 1, 1000});       // step 0: 4000 B
  const int r = n.add_reshape("r", x, {1, 1, 10, 100});  // step 1: a view, no new buffer; x's buffer lives on
  const int d = n.add_dense("d", r, 1, false);           // step 2: 10 x 1 = 40 B, the output
  // Live: 0: 4000; 1: 4000 (the view adds nothing); 2: x's buffer (read by d through r) + d = 4040.
  // Were the reshape a copy, step 1 would hold x and r: 8000.
  const MemoryFootprint m = memory_footprint(n);
  CHECK(m.activation_bytes == 4040);
  CHECK(m.peak_layer == d);
  (void)r;
}

TEST_CASE("memory: constants are weights, not activations", "[memory]") {
  Network n("constant", DType::kF32);
  const int x = n.add_input("x", {1, 1, 1, 12});       // step 0: 48 B
  const int c = n.add_constant("pos", {1, 1, 1, 12});  // step 1: 12 parameters = 48 B of weights
  n.add_add("y", x, c);                                // step 2: 48 B
  // Activations: x + y = 96 at step 2 (the constant is resident as a weight, counted once there).
  const MemoryFootprint m = memory_footprint(n);
  CHECK(m.activation_bytes == 96);
  CHECK(m.weight_bytes == 48);
}

TEST_CASE("memory: an attention layer's KV cache", "[memory]") {
  Network n("decode", DType::kF32);
  const int q = n.add_input("q", {1, 2, 1, 8});  // B = 1, H = 2, one new position, Dk = 8
  const int k = n.add_input("k", {1, 2, 1, 8});
  const int v = n.add_input("v", {1, 2, 1, 4});  // Dv = 4
  n.add_attention("att", q, k, v, true, 16);     // 16 cached positions
  // KV cache: B x H x cache_len x (Dk + Dv) = 1 x 2 x 16 x 12 = 384 elements = 1536 B.
  // Activations at step 3: q 64 + k 64 + v 32 + out (1 x 2 x 1 x 4 = 8 elements) 32 = 192 B.
  const MemoryFootprint m = memory_footprint(n);
  CHECK(m.kv_cache_bytes == 1536);
  CHECK(m.activation_bytes == 192);
  CHECK(m.weight_bytes == 0);
}
