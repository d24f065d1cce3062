#pragma once
// Error types shared by every Ridgepoint library. Library code never calls exit(): it throws one of these, and
// the CLI maps them to exit codes (UsageError -> 2, anything else -> 1) with a single line on stderr.
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

}  // namespace rp
