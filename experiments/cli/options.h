#pragma once
// Boost.Program_options helpers shared by the commands.
#include <boost/program_options.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace rp::cli {

namespace po = boost::program_options;

// Parses `args` against `desc` (with `positional`); converts every parse error into rp::UsageError naming the
// command. Returns true when --help was given (help has then been printed to `out`).
bool parse_options(const std::string& command, const std::string& usage, const std::vector<std::string>& args,
                   po::options_description& desc, const po::positional_options_description& positional,
                   po::variables_map& vm, std::ostream& out);

}  // namespace rp::cli
