// ridgepoint._core.sensitivity (sensitivity_py.h): the library call and JSON of `ridgepoint sensitivity --json`,
// so rp.sensitivity(...) returns what the CLI prints (python/tests: equal).
#include "sensitivity_py.h"

#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "accel_models/config/accelerator_config.h"
#include "accel_models/sensitivity.h"
#include "experiments/cli/sensitivity_output.h"
#include "experiments/kinds/model_files.h"
#include "json_to_python.h"
#include "network_spec.h"
#include "traces/zoo/zoo.h"

namespace rp::py {

namespace {

// As the CLI: batch= (--batch), else an imported model's input batch (--input-shape), else the accelerator's
// default_batch; resolution 0 is the model's own; seq_len 0 the model's own.
nlohmann::json sensitivity_json(const NetworkSpec& net, const std::string& accel, std::optional<int64_t> batch,
                                int resolution, int64_t seq_len, const std::vector<std::string>& sets, double step,
                                const std::vector<std::string>& keys) {
  const accel::AcceleratorConfig config = accel::AcceleratorConfig::load(accel).with_text(sets);
  const auto acc = config.build();
  std::string flag;
  if (batch) {
    flag = "--batch";
  } else if (net.input_batch() > 0) {
    batch = net.input_batch();
    flag = "--input-shape";
  }
  traces::BuildOptions o;
  o.batch = batch.value_or(acc->info().default_batch);
  o.resolution = resolution;
  o.seq_len = seq_len;
  o.dtype = acc->info().precision;
  traces::check_build_options(o, "sensitivity: batch", "sensitivity: resolution", "sensitivity: seq_len");
  const traces::Network network = net.build(o);
  accel::SensitivityOptions options;
  options.step = step;
  options.keys = keys;
  const accel::Sensitivity s = accel::sensitivity(config, network, options);
  const cli::SensitivityRun run{network.name(), acc->info().name, acc->info().label, network.batch(),
                                kinds::batch_rule(o.batch, flag, acc->info().name)};
  return cli::sensitivity_json(s, run);
}

}  // namespace

void register_sensitivity(pybind11::module_& m, std::mutex& engine) {
  using namespace pybind11::literals;
  m.def(
      "sensitivity",
      [&engine](const NetworkSpec& net, const std::string& accel, std::optional<int64_t> batch, int resolution,
                int64_t seq_len, const std::vector<std::string>& sets, double step,
                const std::vector<std::string>& keys) {
        nlohmann::json j;
        {
          pybind11::gil_scoped_release unlocked;
          std::lock_guard<std::mutex> lock(engine);
          j = sensitivity_json(net, accel, batch, resolution, seq_len, sets, step, keys);
        }
        return to_python(j);
      },
      "network"_a, "accel"_a, "batch"_a, "resolution"_a, "seq_len"_a, "sets"_a, "step"_a, "keys"_a);
}

}  // namespace rp::py
