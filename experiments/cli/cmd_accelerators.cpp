// `ridgepoint accelerators`: the built-in accelerators (compiled in from accel_models/configs/*.yaml), and where
// copies of their YAML files are to start an edited one from (`--accel my-chip.yaml`); with --keys, every config key
// (type, unit, bounds, description from the parameter declarations), which `ridgepoint plot` labels axes with.
#include <algorithm>
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
namespace {

// `accelerators --keys [--family F]` as text: one entry per key, as `ridgepoint kinds KIND` lists settings.
void print_keys(const nlohmann::json& keys, std::ostream& out) {
  size_t width = 0;
  for (const auto& k : keys) width = std::max(width, k["key"].get<std::string>().size());
  for (const auto& k : keys) {
    out << "  " << std::left << std::setw(static_cast<int>(width) + 2) << k["key"].get<std::string>()
        << k["type"].get<std::string>();
    if (!k["unit"].get<std::string>().empty()) out << ", " << k["unit"].get<std::string>();
    if (!k["bounds"].get<std::string>().empty()) out << ", " << k["bounds"].get<std::string>();
    std::string where;
    for (const auto& a : k["accelerators"]) where += (where.empty() ? "" : " ") + a.get<std::string>();
    out << " [" << where << "]\n      " << k["description"].get<std::string>() << "\n";
  }
}

}  // namespace

int cmd_accelerators(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()("yaml", po::value<std::string>(),
                     "print the compiled-in YAML of this built-in accelerator (to start a copy)")(
      "json", "print one JSON array")("keys", "list every accelerator config key: type, unit, bounds, description")(
      "family", po::value<std::string>(), "with --keys: only the keys of this family (tpu, gpu)");
  po::variables_map vm;
  if (parse_options("accelerators", "ridgepoint accelerators [--json] [--yaml NAME] [--keys [--family F]]", args, desc,
                    {}, vm, out)) {
    return 0;
  }
  if (vm.count("family") && !vm.count("keys")) throw UsageError("accelerators: --family needs --keys");
  if (vm.count("keys") && vm.count("yaml")) throw UsageError("accelerators: --keys and --yaml cannot be combined");
  if (vm.count("keys")) {
    const nlohmann::json keys = accelerator_keys_json(vm.count("family") ? vm["family"].as<std::string>() : "");
    if (vm.count("json")) {
      out << keys.dump(2) << "\n";
    } else {
      print_keys(keys, out);
    }
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
      << " (or `ridgepoint accelerators --yaml NAME > my.yaml`), edit it, and pass --accel my.yaml; or write only the "
         "keys that differ under `base: NAME` (docs/whatif.md).\n"
      << "GPUs also run with another software-stack profile as NAME-PROFILE (e.g. v100-modern).\n";
  return 0;
}

}  // namespace rp::cli
