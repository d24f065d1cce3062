#include "experiments/cli/options.h"

#include <ostream>

#include "simulator/error.h"
#include "simulator/suggest.h"

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
  } catch (const po::unknown_option& e) {
    std::vector<std::string> names;
    for (const auto& o : desc.options()) names.push_back(o->long_name());
    std::string typed = e.get_option_name();
    typed.erase(0, typed.find_first_not_of('-'));
    const std::string hint = did_you_mean(typed, names, 3, "--");
    throw UsageError(command + ": " + e.what() + (hint.empty() ? "" : "; " + hint) + " (see 'ridgepoint " + command +
                     " --help')");
  } catch (const po::error& e) {
    throw UsageError(command + ": " + e.what() + " (see 'ridgepoint " + command + " --help')");
  }
  return false;
}

}  // namespace rp::cli
