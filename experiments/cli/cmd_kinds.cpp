// `ridgepoint kinds [KIND]`: the experiment kinds (the one table, experiments/kinds/kind.h), or every settings key
// of one kind with its type, unit, bounds, default and description (from its declaration).
#include <algorithm>
#include <iomanip>
#include <ostream>

#include "experiments/cli/command.h"
#include "experiments/cli/options.h"
#include "experiments/kinds/kind.h"

namespace rp::cli {

int cmd_kinds(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()("kind", po::value<std::string>(), "a kind: list its settings keys");
  po::positional_options_description pos;
  pos.add("kind", 1);
  po::variables_map vm;
  if (parse_options("kinds", "ridgepoint kinds [KIND]", args, desc, pos, vm, out)) return 0;
  if (!vm.count("kind")) {
    for (const kinds::Kind& k : kinds::kinds()) {
      out << std::left << std::setw(11) << k.name << k.summary << (k.needs_libtorch ? " [LibTorch]" : "") << "\n";
    }
    out << "\n'ridgepoint kinds KIND' lists a kind's settings keys.\n";
    return 0;
  }
  const kinds::Kind& k = kinds::find_kind(vm["kind"].as<std::string>(), "kinds");
  const auto rows = k.keys();
  size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.key.size());
  out << "kind: " << k.name << ": " << k.summary << "\n";
  for (const auto& r : rows) {
    out << "  " << std::left << std::setw(static_cast<int>(width) + 2) << r.key << r.type;
    if (!r.unit.empty()) out << ", " << r.unit;
    if (!r.bounds.empty()) out << ", " << r.bounds;
    out << "; default " << r.fallback << "\n      " << r.description << "\n";
  }
  return 0;
}

}  // namespace rp::cli
