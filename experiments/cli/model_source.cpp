#include "experiments/cli/model_source.h"

#include "simulator/error.h"

namespace rp::cli {

void add_model_options(po::options_description& desc) {
  desc.add_options()("model", po::value<std::string>(), "zoo model name or YAML network file");
}

traces::Network load_network(const po::variables_map& vm, const traces::BuildOptions& opt) {
  if (!vm.count("model")) throw UsageError("no model given (a zoo name or a YAML network file)");
  return traces::build_model(vm["model"].as<std::string>(), opt);
}

}  // namespace rp::cli
