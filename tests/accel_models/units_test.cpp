// Unit models: expected times derived by hand from each unit's documented formula.
#include <catch2/catch.hpp>

#include "accel_models/dma/dma_engine.h"
#include "accel_models/hbm/hbm.h"
#include "accel_models/lowering/skeleton.h"
#include "accel_models/matrix_unit/systolic_array.h"
#include "accel_models/vector_unit/vector_unit.h"
#include "simulator/engine.h"

using namespace rp;
using namespace rp::accel;

namespace {

SystolicParams mxu(int arrays) {
  SystolicParams p;
  p.arrays = arrays;
  p.rows = p.cols = 128;
  p.weight_load_cycles = 128;
  p.clock = 940e6;
  return p;
}

HbmParams small_hbm() {
  HbmParams p;
  p.bandwidth = 16e9;  // 4 channels x 4 GB/s = 4 bytes/ns each
  p.channels = 4;
  p.access_bytes = 64;
  p.interleave_bytes = 256;
  p.row_bytes = 1024;
  p.row_miss = 10e-9;
  p.refresh_fraction = 0.2;
  return p;
}

VectorParams vpu() {
  VectorParams p;
  p.lanes = 128;
  p.sublanes = 8;
  p.alus_per_lane = 2;  // 2048 element ops per cycle
  p.pass_overhead_cycles = 32;
  p.clock = 1e9;
  return p;
}

sim::Task gemm(int64_t m, int64_t k, int64_t n) {
  sim::Task t;
  t.m = m;
  t.k = k;
  t.n = n;
  t.aux = 1;
  return t;
}

}  // namespace

TEST_CASE("systolic array: one weight-tile pass", "[units][matrix]") {
  SystolicArray a("mxu", mxu(1));
  // m=1024, k=n=128: 1 pass. cycles = weight load 128 + max(1024 rows, 128) + fill/drain (128 + 128 - 2) = 1406.
  CHECK(a.gemm_cycles(1024, 128, 128) == 1406);
  // 1406 cycles / 940 MHz = 1495.7447 ns -> 1495745 ps.
  CHECK(a.service(gemm(1024, 128, 128), 0) == 1495745);
}

TEST_CASE("systolic array: padding waste, short M and several arrays", "[units][matrix]") {
  SystolicArray one("mxu", mxu(1)), two("mxu", mxu(2));
  // k=129 needs ceil(129/128) = 2 passes of 1024 rows: 128 + 2048 + 254 = 2430 (vs 1406 for k=128).
  CHECK(one.gemm_cycles(1024, 129, 128) == 2430);
  // n=200 needs ceil(200/128) = 2 column passes: same 2430.
  CHECK(one.gemm_cycles(1024, 100, 200) == 2430);
  // m=8 rows: streaming is bounded by the next weight load: 128 + max(8, 128) + 254 = 510.
  CHECK(one.gemm_cycles(8, 128, 128) == 510);
  // Two arrays, 2 passes: each array streams ceil(2*1024/2) = 1024 rows: 1406, half of one array's 2430 - 254 - 128.
  CHECK(two.gemm_cycles(1024, 128, 256) == 1406);
  // Two arrays, 1 pass: the 1024 rows are split, 512 each: 128 + 512 + 254 = 894.
  CHECK(two.gemm_cycles(1024, 128, 128) == 894);
  // Groups multiply passes: 4 groups of (k=64, n=64) = 4 passes on one array: 128 + 4*1024 + 254 = 4478.
  CHECK(one.gemm_cycles(1024, 64, 64, 4) == 4478);
}

TEST_CASE("vector unit: one pass", "[units][vector]") {
  VectorUnit v("vpu", vpu());
  sim::Task t;
  t.ops = 1'000'000;
  // ceil(1e6 / 2048) = 489 cycles + 32 overhead = 521 cycles at 1 GHz = 521 ns.
  CHECK(v.cycles(t.ops) == 521);
  CHECK(v.service(t, 0) == 521'000);
  t.ops = 0;
  CHECK(v.service(t, 0) == 0);
}

TEST_CASE("HBM: one transfer, a small transfer, sustained bandwidth", "[units][hbm]") {
  HbmModel h("hbm", small_hbm());
  // 8192 B = 32 interleave chunks of 256 B over 4 channels: 2048 B each. Per channel: 32 bursts x 64 B / 4 B/ns
  // = 512 ns, plus 2 rows x 10 ns = 532 ns, / (1 - 0.2) refresh = 665 ns.
  CHECK(h.transfer(8192, 0) == 665'000);
  h.reset();
  // 100 B touches one channel: ceil(100/64) = 2 bursts = 128 B / 4 B/ns = 32 ns + 1 row 10 ns = 42 / 0.8 = 52.5 ns.
  CHECK(h.transfer(100, 1'000'000) == 1'000'000 + 52'500);
  // Sustained: per 1024 B row 256 ns + 10 ns; 4 x 1024 B / 266 ns x 0.8 = 12.318 GB/s (peak 16).
  CHECK(small_hbm().sustained_bandwidth() == Approx(4 * 1024 / 266e-9 * 0.8));
}

TEST_CASE("HBM: concurrent transfers queue for the channels", "[units][hbm]") {
  HbmModel h("hbm", small_hbm());
  // Two 8192 B transfers issued at 0: the second waits for the first on every channel: ends at 2 x 665 ns.
  CHECK(h.transfer(8192, 0) == 665'000);
  CHECK(h.transfer(8192, 0) == 1'330'000);
  CHECK(h.wait() == 4 * 665'000);  // 4 channels each queued 665 ns
  CHECK(h.bytes() == 16384);
}

TEST_CASE("HBM: shares go round-robin from the channel after the last one used, wrapping past the last channel",
          "[units][hbm]") {
  HbmModel h("hbm", small_hbm());
  // 100 B at 0 takes channel 0 for 52.5 ns (the test above); the next transfer starts at channel 1.
  CHECK(h.transfer(100, 0) == 52'500);
  // 8192 B at 10 ns: 2048 B (665 ns) on each of channels 1, 2, 3 (free: 10 .. 675 ns), then channel 0, wrapping
  // round, which is busy until 52.5 ns: 52.5 .. 717.5 ns. It waited 42.5 ns; busy 52.5 ns + 4 x 665 ns.
  CHECK(h.transfer(8192, 10'000) == 717'500);
  CHECK(h.wait() == 42'500);
  CHECK(h.channel_busy() == 52'500 + 4 * 665'000);
  // At 1 us every channel is free: 100 B on channel 1 (after channel 0) ends 52.5 ns later and waits for nothing.
  CHECK(h.transfer(100, 1'000'000) == 1'052'500);
  CHECK(h.wait() == 42'500);
  CHECK(h.transfers() == 3);
}

TEST_CASE("HBM: a transfer too slow for the engine's clock ends past it instead of wrapping around", "[units][hbm]") {
  // Found by the UBSan build (bad input acc-bandwidth-1-kbps-huge-batch): at 1 byte/s per channel, 1e12 bytes take
  // 2.5e11 s = 2.5e23 ps per channel, past the largest Ps: the end saturates there, and the engine then reports the
  // task as ending past 2^62 ps. Before, start + t overflowed and the transfer seemed to end at once.
  HbmParams p = small_hbm();
  p.bandwidth = 4;  // 4 channels x 1 byte/s
  HbmModel h("hbm", p);
  CHECK(h.transfer(1'000'000'000'000, 61'900) > sim::kMaxPs);
  CHECK(h.transfer(1'000'000'000'000, 61'900) > sim::kMaxPs);  // queued behind the first: still past, no overflow
  CHECK(h.channel_busy() > sim::kMaxPs);
}

TEST_CASE("two-task contention on one unit, and on the shared HBM through two DMA engines", "[units][contention]") {
  // Vector unit: two 204800-op passes ready at 0. Each: 204800 / 2048 = 100 cycles + 32 = 132 ns.
  VectorUnit v("vpu", vpu());
  sim::TaskGraph g;
  sim::Task t;
  t.ops = 204800;
  g.add(t);
  g.add(t);
  sim::EngineResult r = sim::run(g, {&v});
  CHECK(r.makespan == 264'000);       // served one after the other
  CHECK(r.units[0].wait == 132'000);  // the second waited for the first
  CHECK(r.tasks[1].start == 132'000);

  // Two DMA engines (no setup time) share one HBM: both issue 8192 B at 0; the channels serve them in turn.
  HbmModel hbm("hbm", small_hbm());
  DmaParams dp;
  DmaEngine a("dma0", dp, hbm), b("dma1", dp, hbm);
  sim::TaskGraph g2;
  sim::Task d;
  d.bytes = 8192;
  d.unit = 0;
  g2.add(d);
  d.unit = 1;
  g2.add(d);
  hbm.reset();
  r = sim::run(g2, {&a, &b});
  CHECK(r.makespan == 1'330'000);                 // 2 x 665 ns: no overlap on shared channels
  CHECK(r.units[0].wait + r.units[1].wait == 0);  // the engines themselves were free ...
  CHECK(hbm.wait() == 4 * 665'000);               // ... the contention is in HBM
}

TEST_CASE("lowering: a step's task list keeps its tasks in order, in place up to three and on the heap beyond",
          "[units][lowering]") {
  TaskList l;
  CHECK(l.empty());
  std::vector<int64_t> seen;
  for (int64_t i = 0; i < 6; ++i) {
    sim::Task t;
    t.bytes = i;
    l.push_back(t);
    if (i == 2) {  // three: all in place
      for (const sim::Task& x : l) seen.push_back(x.bytes);
      CHECK(seen == std::vector<int64_t>{0, 1, 2});
    }
  }
  // Six: the three in place moved to the heap first, then the rest appended, in the order pushed.
  REQUIRE(l.size() == 6);
  seen.clear();
  for (const sim::Task& x : l) seen.push_back(x.bytes);
  CHECK(seen == std::vector<int64_t>{0, 1, 2, 3, 4, 5});
  // A copy is its own: changing it leaves the original as it was (a step is copied with its tasks).
  TaskList c = l;
  c[0].bytes = 99;
  CHECK(l[0].bytes == 0);
  CHECK(c[0].bytes == 99);
  CHECK(c.size() == 6);
}
