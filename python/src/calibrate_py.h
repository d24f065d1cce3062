#pragma once
// ridgepoint._core.calibrate: `ridgepoint calibrate ... --json` in process (experiments/cli/calibrate_json.h).
#include <pybind11/pybind11.h>

#include <mutex>

namespace rp::py {

// Registers `calibrate` on the module. `engine` is the module's simulation mutex (the SystemC kernel is not
// thread-safe): the fit holds it, with the GIL released, as simulate() does.
void register_calibrate(pybind11::module_& m, std::mutex& engine);

}  // namespace rp::py
