// Catch2 runner shared by every test executable. SystemC's banner is silenced so test output stays readable, and
// the allocator is set as the shipped executables set it (experiments/cli/allocator.h): in-process LibTorch training
// then runs as fast as in ridgepoint-torch.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

#include "experiments/cli/allocator.h"

int main(int argc, char* argv[]) {
  rp::cli::tune_allocator();
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return Catch::Session().run(argc, argv);
}
