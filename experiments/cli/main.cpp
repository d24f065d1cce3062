// The `ridgepoint` and `ridgepoint-torch` executables (the same main, linked with the two halves of torch_seam.h):
// dispatches to a command; maps errors to one line on stderr and an exit code (0 success, 2 bad usage, 1 failure).
// In `ridgepoint`, a command line that needs LibTorch (torch_table.h) is handed to ridgepoint-torch unchanged.
#include <malloc.h>

#include <cstdlib>
#include <exception>
#include <iomanip>
#include <iostream>
#include <string>

#include "experiments/cli/command.h"
#include "experiments/cli/torch_seam.h"
#include "experiments/run/interrupt.h"
#include "simulator/error.h"
#include "simulator/suggest.h"

namespace {

void usage(std::ostream& out) {
  out << "usage: ridgepoint <command> [options]   (ridgepoint <command> --help for its options)\n\ncommands:\n";
  for (const auto& c : rp::cli::commands()) out << "  " << std::left << std::setw(14) << c.name << c.summary << "\n";
  out << "\n  --version   print the version\n";
}

// Both executables keep freed memory for reuse. ridgepoint-torch (the executable that trains proxies, and its forked
// workers inherit it): LibTorch frees and allocates tensors of a few MB at every training step; with glibc's
// defaults each came from fresh mmap'd pages and the heap was trimmed after, so a third of training's CPU went to
// page faults (issue 24: 31% of samples in exc_page_fault, 4.5 M minor faults for a tiny NAS run). `ridgepoint`
// (the simulator's commands): every simulation builds its task graph afresh and frees it (a few MB for a network at
// batch 128), and the same trimming made `calibrate --accel tpuv3` spend 28% of its CPU in the kernel
// (scripts/bench_allocator.sh simulator: 6.24 -> 2.03 s wall, 270,179 -> 2,879 minor faults, the same fit).
// Serving them from the heap and keeping freed memory for reuse removes most of that; results are bit for bit the
// same (scripts/bench_allocator.sh checks it for both). The resident size then stays near its peak instead of
// shrinking between steps: up to 1 GiB of freed memory per process, so per `--jobs` worker.
// RIDGEPOINT_MALLOC_DEFAULTS=1 keeps glibc's defaults, for the benchmark's "before" figures: speed only, never a
// result.
void tune_allocator() {
  const char* defaults = std::getenv("RIDGEPOINT_MALLOC_DEFAULTS");
  if (defaults != nullptr && std::string(defaults) == "1") return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // blocks up to 32 MiB from the heap, not their own mmap
  mallopt(M_TRIM_THRESHOLD, 1 << 30);   // give memory back to the system only beyond 1 GiB free at the top
  mallopt(M_TOP_PAD, 256 << 20);        // grow the heap 256 MiB at a time (address space; pages touched on use)
  // No block gets its own mmap, however large: 32 MiB is the highest threshold glibc accepts, and a proxy training
  // step frees and allocates tensors of 37-50 MB (144 mmap / munmap pairs of 50 MB in a tiny NAS run: 1.2 M of its
  // 1.5 M minor faults). From the heap, freed, they are reused (a block the main arena cannot hold still comes from
  // the system: glibc falls back to mmap when the heap cannot grow).
  mallopt(M_MMAP_MAX, 0);
}

}  // namespace

int main(int argc, char* argv[]) {
  tune_allocator();
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  std::vector<std::string> args(argv + 1, argv + argc);
  // `run` honours Ctrl-C and SIGTERM from its first instant (experiments/run/interrupt.h); every other command keeps
  // their default action. Both undo the blocking of a `ridgepoint` that handed this command line over (exec_torch).
  if (!args.empty() && args[0] == "run") rp::run::install_interrupt_handlers();
  rp::run::unblock_interrupts();
  if (args.empty()) {
    std::cerr << "ridgepoint: error: no command given (see 'ridgepoint --help')\n";
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    usage(std::cout);
    return 0;
  }
  if (args[0] == "--version") {
    std::cout << "ridgepoint " << RIDGEPOINT_VERSION << "\n";
    return 0;
  }
  try {
    for (const auto& c : rp::cli::commands()) {
      if (c.name == args[0]) return c.run({args.begin() + 1, args.end()}, std::cout);
    }
    std::vector<std::string> names;
    for (const auto& c : rp::cli::commands()) names.push_back(c.name);
    const std::string hint = rp::did_you_mean(args[0], names);
    throw rp::UsageError("unknown command '" + args[0] + "'" + (hint.empty() ? "" : "; " + hint) +
                         " (see 'ridgepoint --help')");
  } catch (const rp::cli::NeedsLibTorch& e) {
    try {
      rp::cli::exec_torch(argv, e.what());  // returns only by throwing
    } catch (const std::exception& x) {
      std::cerr << "ridgepoint: failed: " << x.what() << "\n";
    }
    return 1;
  } catch (const rp::Interrupted& e) {
    std::cerr << "ridgepoint: stopped by signal " << e.signal() << " (progress kept: run the same command again to "
              << "resume)\n";
    return e.exit_code();
  } catch (const rp::UsageError& e) {
    std::cerr << "ridgepoint: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "ridgepoint: failed: " << e.what() << "\n";
    return 1;
  }
}
