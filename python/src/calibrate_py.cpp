// ridgepoint._core.calibrate (calibrate_py.h): the CLI's request and JSON (experiments/cli/calibrate_json.h), so
// rp.calibrate(...) returns what `ridgepoint calibrate ... --json` prints (python/tests: equal).
#include "calibrate_py.h"

#include <pybind11/stl.h>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "experiments/cli/calibrate_json.h"
#include "json_to_python.h"

namespace rp::py {

void register_calibrate(pybind11::module_& m, std::mutex& engine) {
  using namespace pybind11::literals;
  m.def(
      "calibrate",
      [&engine](const std::string& accel, const std::optional<std::string>& measurements,
                const std::vector<std::string>& fit, const std::vector<std::string>& set, bool loo, bool lofo,
                const std::optional<int>& sweeps) {
        cli::CalibrateRequest q;
        q.accel = accel;
        q.measurements = measurements;
        q.fit = fit;
        q.set = set;
        q.loo = loo;
        q.lofo = lofo;
        q.sweeps = sweeps;
        nlohmann::json j;
        {
          pybind11::gil_scoped_release unlocked;
          std::lock_guard<std::mutex> lock(engine);
          j = cli::calibrate_json(cli::run_calibration(q, std::cerr, nullptr));
        }
        return to_python(j);
      },
      "accel"_a, "measurements"_a, "fit"_a, "set"_a, "loo"_a, "lofo"_a, "sweeps"_a);
}

}  // namespace rp::py
