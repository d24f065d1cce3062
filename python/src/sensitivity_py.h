#pragma once
// ridgepoint._core.sensitivity: `ridgepoint sensitivity ... --json` in process (accel_models/sensitivity.h,
// experiments/cli/sensitivity_output.h).
#include <pybind11/pybind11.h>

#include <mutex>

namespace rp::py {

// Registers `sensitivity` on the module. `engine` is the module's simulation mutex (the SystemC kernel is not
// thread-safe): the analysis holds it, with the GIL released, as simulate() does.
void register_sensitivity(pybind11::module_& m, std::mutex& engine);

}  // namespace rp::py
