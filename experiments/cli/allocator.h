#pragma once
// tune_allocator(): the glibc malloc settings made at start-up by both executables (experiments/cli/main.cpp) and by
// the Catch2 runner of every test executable (tests/test_main.cpp), so that tests train and simulate as the shipped
// commands do. Call it first thing in main, before any allocation worth keeping. Speed only: no result depends on it.
#include <malloc.h>

#include <cstdlib>
#include <string>

namespace rp::cli {

// Freed memory is kept for reuse. ridgepoint-torch (the executable that trains proxies, and its forked
// workers inherit it): LibTorch frees and allocates tensors of a few MB at every training step; with glibc's
// defaults each came from fresh mmap'd pages and the heap was trimmed after, so a third of training's CPU went to
// page faults (issue 24: 31% of samples in exc_page_fault, 4.5 M minor faults for a tiny NAS run). `ridgepoint`
// (the simulator's commands): every simulation builds its task graph afresh and frees it (a few MB for a network at
// batch 128), and the same trimming made `calibrate --accel tpuv3` spend 28% of its CPU in the kernel
// (scripts/bench_allocator.sh simulator: 6.24 -> 2.03 s wall, 270,179 -> 2,879 minor faults, the same fit).
// Serving them from the heap and keeping freed memory for reuse removes most of that; results are bit for bit the
// same (scripts/bench_allocator.sh checks it for both). The resident size then stays near its peak instead of
// shrinking between steps: up to 1 GiB of freed memory per process, so per `--jobs` worker. The test runners: a
// Catch2 case that trains a proxy in-process paid the same faults (tests/test_main.cpp).
// RIDGEPOINT_MALLOC_DEFAULTS=1 keeps glibc's defaults, for the benchmark's "before" figures: speed only, never a
// result.
inline void tune_allocator() {
  const char* defaults = std::getenv("RIDGEPOINT_MALLOC_DEFAULTS");
  if (defaults != nullptr && std::string(defaults) == "1") return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // blocks up to 32 MiB from the heap, not their own mmap
  mallopt(M_TRIM_THRESHOLD, 1 << 30);   // give memory back to the system only beyond 1 GiB free at the top
  mallopt(M_TOP_PAD, 256 << 20);        // grow the heap 256 MiB at a time (address space; pages touched on use)
  // No block gets its own mmap, however large: 32 MiB is the highest threshold glibc accepts, and a proxy training
  // step frees and allocates tensors of 37-50 MB (a 6-sample NAS of kill_test.sh: 144 mmap / munmap pairs of 50 MB
  // and 12 of 37.6 MB; run serially, 1.17 M minor faults and 17.8 s without this line, 0.29 M and 8.6 s with it).
  // From the heap, freed, they are reused (a block the main arena cannot hold still comes from the system: glibc
  // falls back to mmap when the heap cannot grow).
  mallopt(M_MMAP_MAX, 0);
}

}  // namespace rp::cli
