// `ridgepoint nas space NAME`: the decisions of a search space, their options and the space size.
// `ridgepoint nas arch SPACE ARCH`: an architecture's block strings and its ImageNet-scale MACs and params.
#include <cstdio>
#include <ostream>

#include "experiments/cli/command.h"
#include "experiments/cli/options.h"
#include "nas/space/arch_network.h"
#include "nas/space/search_space.h"
#include "simulator/error.h"

namespace rp::cli {
namespace {

int print_space(const nas::SearchSpace& s, std::ostream& out) {
  char size[64];
  std::snprintf(size, sizeof size, "%.4g", s.size());
  out << "space " << s.name << ": " << s.description << "\n"
      << "decisions: " << s.decisions.size() << ", architectures: " << size << "\n"
      << "base network: EfficientNet-B0 blocks\n";
  for (const auto& b : s.base_blocks) out << "  " << b << "\n";
  out << "decisions (option labels as in the canonical architecture text):\n";
  for (const auto& d : s.decisions) {
    out << "  " << d.name << ":";
    for (const auto& l : d.labels) out << " " << l;
    out << "\n";
  }
  out << "base architecture: " << s.canonical(nas::base_choices(s)) << "\n";
  return 0;
}

int print_arch(const nas::SearchSpace& s, const std::string& arch, std::ostream& out) {
  const nas::Choices c = s.parse(arch);
  const traces::Network n = nas::arch_network(s, c, 224, 1, traces::DType::kF32);
  out << "space " << s.name << "\narch " << s.canonical(c) << "\nblocks:\n";
  for (const auto& b : nas::arch_block_strings(s, c)) out << "  " << b << "\n";
  out << "MACs " << n.macs() << ", params " << n.params() << " (224 x 224, batch 1)\n";
  return 0;
}

}  // namespace

int cmd_nas(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()("what", po::value<std::string>()->required(), "space | arch")(
      "space", po::value<std::string>()->required(), "search space: efficientnet | efficientnet-x")(
      "arch", po::value<std::string>(), "canonical architecture text (for 'arch')");
  po::positional_options_description pos;
  pos.add("what", 1).add("space", 1).add("arch", 1);
  po::variables_map vm;
  if (parse_options("nas", "ridgepoint nas space NAME | ridgepoint nas arch SPACE ARCH", args, desc, pos, vm, out)) {
    return 0;
  }
  const std::string what = vm["what"].as<std::string>();
  const nas::SearchSpace& s = nas::search_space(vm["space"].as<std::string>());
  if (what == "space") {
    if (vm.count("arch")) throw UsageError("nas space: takes one NAME");
    return print_space(s, out);
  }
  if (what == "arch") {
    if (!vm.count("arch")) throw UsageError("nas arch: give SPACE and ARCH (see 'ridgepoint nas space SPACE')");
    return print_arch(s, vm["arch"].as<std::string>(), out);
  }
  throw UsageError("nas: unknown subcommand '" + what + "' (expected space or arch)");
}

}  // namespace rp::cli
