#pragma once
// Where a command's network comes from: a zoo name, a YAML network file or a model file of another framework
// (.pt, .onnx: experiments/kinds/model_files.h, chosen by extension), as the positional MODEL or the older
// --torchscript FILE, with --input-shape N,C,H,W for an imported model and --seq-len for sequence models. The
// options are declared once here so every command that takes a model accepts the same ones.
#include <string>

#include "experiments/cli/options.h"
#include "traces/network/network.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {

// Adds the positional "model" option and --torchscript / --input-shape / --torchscript-timeout / --seq-len.
void add_model_options(po::options_description& desc);
// --input-shape / --torchscript-timeout / --seq-len only (compare, whose models are a positional list).
void add_import_options(po::options_description& desc);

// A network and the rule that chose its batch ("batch 1 from --input-shape", model_files.h's batch_rule()).
struct LoadedNetwork {
  traces::Network net;
  std::string batch_rule;
};

// Builds `spec` (a zoo name or any model file) with `opt` (batch, resolution, dtype) and the command's import
// options: the batch is --batch when given, else an imported model's --input-shape N, else opt.batch (the
// `default_of` default: the accelerator's, "tpuv3"). Throws UsageError for --input-shape on a model that is not
// imported (unless `shared`: compare's --input-shape applies to those of its models that are imported).
// `torchscript`: import `spec` as TorchScript whatever its extension (--torchscript FILE).
LoadedNetwork load_spec(const po::variables_map& vm, const std::string& spec, traces::BuildOptions opt,
                        const std::string& default_of, bool shared = false, bool torchscript = false);

// The network named by the positional MODEL or --torchscript FILE (exactly one of them), as load_spec.
LoadedNetwork load_network(const po::variables_map& vm, const traces::BuildOptions& opt, const std::string& default_of);

// --seq-len into opt.seq_len (0 when absent), checked against check_build_options' bounds naming `command`.
void read_seq_len(const po::variables_map& vm, traces::BuildOptions& opt, const std::string& command);

}  // namespace rp::cli
