// `ridgepoint models`: lists the model zoo.
#include <iomanip>
#include <ostream>

#include "experiments/cli/catalog_json.h"
#include "experiments/cli/command.h"
#include "experiments/cli/options.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {

int cmd_models(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()("json", "print one JSON array");
  po::variables_map vm;
  if (parse_options("models", "ridgepoint models [--json]", args, desc, {}, vm, out)) return 0;
  if (vm.count("json")) {
    out << models_json().dump(2) << "\n";
    return 0;
  }
  out << std::left << std::setw(28) << "model" << std::setw(7) << "res"
      << "description\n";
  // res: the default resolution of an image model, or "s" and the default sequence length of a token model.
  for (const auto& e : traces::zoo()) {
    const std::string res =
        e.default_seq_len > 0 ? "s" + std::to_string(e.default_seq_len) : std::to_string(e.default_resolution);
    out << std::left << std::setw(28) << e.name << std::setw(7) << res << e.description << "\n";
  }
  return 0;
}

}  // namespace rp::cli
