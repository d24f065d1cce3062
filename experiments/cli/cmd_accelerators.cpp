// `ridgepoint accelerators`: the built-in accelerators (compiled in from accel_models/configs/*.yaml), and where
// copies of their YAML files are to start an edited one from (`--accel my-chip.yaml`).
#include <iomanip>
#include <ostream>

#include "accel_models/config/builtin_configs.h"
#include "experiments/cli/catalog_json.h"
#include "experiments/cli/command.h"
#include "experiments/cli/format.h"
#include "experiments/cli/install_paths.h"
#include "experiments/cli/options.h"
#include "simulator/error.h"

namespace rp::cli {

int cmd_accelerators(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()("yaml", po::value<std::string>(),
                     "print the compiled-in YAML of this built-in accelerator (to start a copy)")(
      "json", "print one JSON array");
  po::variables_map vm;
  if (parse_options("accelerators", "ridgepoint accelerators [--json] [--yaml NAME]", args, desc, {}, vm, out)) {
    return 0;
  }
  if (vm.count("yaml")) {
    const std::string name = vm["yaml"].as<std::string>();
    for (const auto& c : accel::builtin_configs()) {
      if (c.name == name) {
        out << c.text;
        return 0;
      }
    }
    std::string names;
    for (const auto& c : accel::builtin_configs()) names += (names.empty() ? "" : ", ") + c.name;
    throw UsageError("accelerators: --yaml: unknown built-in accelerator '" + name + "' (built-in: " + names + ")");
  }
  const std::string copies = config_copies_directory();
  const nlohmann::json arr = accelerators_json(copies);
  if (vm.count("json")) {
    out << arr.dump(2) << "\n";
    return 0;
  }
  out << std::left << std::setw(10) << "name" << std::setw(8) << "family" << std::setw(11) << "precision" << std::right
      << std::setw(6) << "batch" << std::setw(14) << "peak FLOP/s" << std::setw(20) << "hbm.bandwidth_gbps"
      << "\n";
  for (const auto& a : arr) {
    out << std::left << std::setw(10) << a["name"].get<std::string>() << std::setw(8) << a["family"].get<std::string>()
        << std::setw(11) << a["precision"].get<std::string>() << std::right << std::setw(6)
        << a["default_batch"].get<long long>() << std::setw(14) << si(a["peak_flops"].get<double>()) << std::setw(20)
        << fixed(a["hbm.bandwidth_gbps"].get<double>(), 0) << "\n";
  }
  out << "\nThese are compiled in. To try an edited copy: copy a YAML from "
      << (copies.empty() ? std::string("accel_models/configs/") : copies + "/")
      << " (or `ridgepoint accelerators --yaml NAME > my.yaml`), edit it, and pass --accel my.yaml.\n"
      << "GPUs also run with another software-stack profile as NAME-PROFILE (e.g. v100-modern).\n";
  return 0;
}

}  // namespace rp::cli
