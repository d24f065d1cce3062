// `ridgepoint calibrate --accel NAME [--loo] [--write FILE]`: fits the accelerator's calibration parameters
// (experiments/validation/calibration.yaml) to its published measurements; optionally writes them into the YAML.
#include <iostream>
#include <ostream>

#include "experiments/cli/command.h"
#include "experiments/cli/format.h"
#include "experiments/cli/options.h"
#include "experiments/validation/calibrate.h"
#include "simulator/error.h"

namespace rp::cli {

int cmd_calibrate(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()("accel,a", po::value<std::string>()->required(),
                     "accelerator with published measurements: tpuv3, v100 (paper stack), v100-modern (modern stack)")(
      "loo", "also report leave-one-out errors (one fit per row)")(
      "lofo", "also report leave-one-family-out errors (fit on the EfficientNet-B rows, predict the rest)")(
      "write", po::value<std::string>(),
      "rewrite the fitted values into this accelerator YAML (e.g. accel_models/configs/tpuv3.yaml)");
  po::variables_map vm;
  if (parse_options("calibrate", "ridgepoint calibrate --accel NAME [--loo] [--lofo] [--write FILE]", args, desc, {},
                    vm, out)) {
    return 0;
  }
  const std::string acc = vm["accel"].as<std::string>();
  const auto params = validation::fit_params(acc);
  validation::FitOptions fo;
  fo.leave_one_out = vm.count("loo") > 0;
  fo.leave_family_out = vm.count("lofo") > 0;
  const auto r = validation::calibrate(acc, params, fo, std::cerr);
  out << "calibrated " << acc << " on "
      << (r.loo.empty() ? std::string("its published rows") : std::to_string(r.loo.size()) + " rows") << ": MAPE "
      << fixed(100 * r.mape, 1) << "%, mean |ln(sim/meas)| " << fixed(r.objective, 4) << "\n";
  for (const auto& [k, v] : r.values) out << "  " << k << " = " << v << "\n";
  if (!r.loo.empty()) out << "leave-one-out MAPE " << fixed(100 * r.loo_mape, 1) << "%\n";
  if (!r.lofo.empty()) {
    out << "leave-one-family-out (fit on EfficientNet-B rows only) MAPE " << fixed(100 * r.lofo_mape, 1) << "%:\n";
    for (const auto& [row, e] : r.lofo) out << "  " << row << ": " << (e >= 0 ? "+" : "") << fixed(100 * e, 1) << "%\n";
  }
  if (vm.count("write")) {
    const std::string data =
        acc.find("-modern") != std::string::npos ? "modern-latencies.csv" : "published-latencies.csv";
    std::string note =
        "[fit] ridgepoint calibrate --accel " + acc + " on " + data + ": MAPE " + fixed(100 * r.mape, 1) + "%";
    if (!r.loo.empty()) note += ", leave-one-out " + fixed(100 * r.loo_mape, 1) + "%";
    validation::write_fitted(vm["write"].as<std::string>(), r.values, note);
    out << "wrote " << vm["write"].as<std::string>() << " (rebuild to embed it)\n";
  }
  return 0;
}

}  // namespace rp::cli
