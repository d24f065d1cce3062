#pragma once
// Where a command's network comes from: a zoo name or YAML network file (positional MODEL), or a TorchScript
// model (--torchscript FILE with --input-shape N,C,H,W). The options are declared once here so every command
// that takes a model accepts the same ones.
#include "experiments/cli/options.h"
#include "traces/network/network.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {

// Adds the positional "model" option and --torchscript / --input-shape / --torchscript-timeout.
void add_model_options(po::options_description& desc);

// Builds the network named by the options; `opt` carries batch, resolution and dtype. For a TorchScript model
// the batch is the --input-shape N unless the command's --batch was given explicitly (then it overrides N), and a
// non-zero resolution overrides H and W. Throws UsageError for a missing or doubled model source.
traces::Network load_network(const po::variables_map& vm, const traces::BuildOptions& opt);

}  // namespace rp::cli
