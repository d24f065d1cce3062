// `ridgepoint import MODEL -o NET.yaml`: any network (a .pt or .onnx model, a network file, a zoo name) written as a
// layer-list network file (traces/zoo/layer_list.h), which every command and kind then reads without importing again.
#include <ostream>

#include "experiments/cli/command.h"
#include "experiments/cli/model_source.h"
#include "experiments/cli/options.h"
#include "simulator/error.h"
#include "traces/writers/network_text.h"
#include "traces/writers/output_file.h"

namespace rp::cli {

int cmd_import(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  add_model_options(desc);
  desc.add_options()("output,o", po::value<std::string>()->required(), "the network file to write (YAML)")(
      "batch,b", po::value<long long>(), "the batch to write the layers at (default: --input-shape N, else 1)")(
      "resolution,r", po::value<int>()->default_value(0), "input resolution (0: the model's own)")(
      "dtype", po::value<std::string>()->default_value("fp32"), "element type written: fp32, bf16, fp16, int8");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (parse_options("import",
                    "ridgepoint import MODEL|FILE|F.pt|F.onnx -o NET.yaml [--input-shape N,C,H,W] [--batch B] "
                    "[--resolution R] [--seq-len S] [--dtype T]",
                    args, desc, pos, vm, out)) {
    return 0;
  }
  traces::BuildOptions opt;
  opt.batch = vm.count("batch") ? vm["batch"].as<long long>() : 1;
  opt.resolution = vm["resolution"].as<int>();
  opt.dtype = traces::parse_dtype(vm["dtype"].as<std::string>());
  read_seq_len(vm, opt, "import");
  const std::string path = vm["output"].as<std::string>();
  traces::OutputFile file(path);  // created before the import: a bad path fails first
  const LoadedNetwork loaded = load_network(vm, opt, "import");
  file.write(traces::network_yaml(loaded.net));
  file.commit();
  out << "wrote " << path << ": " << loaded.net.name() << ", " << loaded.net.size() << " layers, " << loaded.batch_rule
      << " (any batch at load: docs/networks.md)\n";
  return 0;
}

}  // namespace rp::cli
