#pragma once
// Error types shared by every Ridgepoint library. Library code never calls exit(): it throws one of these, and
// the CLI maps them to exit codes (UsageError -> 2, Interrupted -> 128 + its signal, anything else -> 1) with a
// single line on stderr.
#include <functional>
#include <stdexcept>
#include <string>

namespace rp {

// Bad input from the user: unknown model or key, malformed block string or YAML, a value out of range.
// The message names the file / key / value and says what was expected.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A well-formed request that cannot be simulated (a layer that does not fit, an impossible configuration).
class SimulationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A run stopped by SIGINT or SIGTERM (Ctrl-C, kill): not a failure. Its exit code is 128 + the signal (130, 143).
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal);
  int signal() const { return signal_; }
  int exit_code() const { return 128 + signal_; }

 private:
  int signal_;
};

// What long computations (training, searches, space generation) call between steps: the run plumbing's check
// throws Interrupted once the run was asked to stop; an empty StopCheck never stops. Methods take one instead of
// reading signals themselves (experiments/run/interrupt.h provides it).
using StopCheck = std::function<void()>;
inline void poll(const StopCheck& check) {
  if (check) check();
}

}  // namespace rp
