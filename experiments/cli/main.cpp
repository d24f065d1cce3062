// The `ridgepoint` and `ridgepoint-torch` executables (the same main, linked with the two halves of torch_seam.h):
// dispatches to a command; maps errors to one line on stderr and an exit code (0 success, 2 bad usage, 1 failure).
// In `ridgepoint`, a command line that needs LibTorch (torch_table.h) is handed to ridgepoint-torch unchanged.
#include <cstdlib>
#include <exception>
#include <iomanip>
#include <iostream>
#include <string>

#include "experiments/cli/allocator.h"
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

}  // namespace

int main(int argc, char* argv[]) {
  rp::cli::tune_allocator();
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
