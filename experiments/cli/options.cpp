#include "experiments/cli/options.h"

#include <ostream>

#include "simulator/error.h"

namespace rp::cli {

bool parse_options(const std::string& command, const std::string& usage, const std::vector<std::string>& args,
                   po::options_description& desc, const po::positional_options_description& positional,
                   po::variables_map& vm, std::ostream& out) {
  desc.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(args).options(desc).positional(positional).run(), vm);
    if (vm.count("help")) {
      out << "usage: " << usage << "\n\n" << desc << "\n";
      return true;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(command + ": " + e.what() + " (see 'ridgepoint " + command + " --help')");
  }
  return false;
}

}  // namespace rp::cli
