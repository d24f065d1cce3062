// `ridgepoint info MODEL|FILE`: parameters, MACs, FLOPs and a per-layer table of a network.
#include <algorithm>
#include <iomanip>
#include <ostream>

#include "experiments/cli/catalog_json.h"
#include "experiments/cli/command.h"
#include "experiments/cli/format.h"
#include "experiments/cli/model_source.h"
#include "experiments/cli/options.h"
#include "simulator/error.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {
namespace {

std::string input_shape(const traces::Network& n, const traces::Layer& l) {
  std::string s;
  for (int p : l.inputs) s += (s.empty() ? "" : "+") + n.layer(p).output.str();
  return s.empty() ? "-" : s;
}

}  // namespace

int cmd_info(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  add_model_options(desc);
  desc.add_options()("resolution,r", po::value<int>()->default_value(0), "input resolution (0: the model's own)")(
      "batch,b", po::value<long long>()->default_value(1), "batch size")(
      "dtype", po::value<std::string>()->default_value("fp32"), "element type: fp32, bf16, fp16, int8")(
      "json", "print one JSON object");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (parse_options(
          "info",
          "ridgepoint info MODEL|FILE|F.pt|F.onnx [--input-shape N,C,H,W] [--resolution R] [--seq-len S] [--batch B] "
          "[--dtype T] [--json]",
          args, desc, pos, vm, out)) {
    return 0;
  }
  traces::BuildOptions opt;
  opt.batch = vm["batch"].as<long long>();
  opt.resolution = vm["resolution"].as<int>();
  opt.dtype = traces::parse_dtype(vm["dtype"].as<std::string>());
  read_seq_len(vm, opt, "info");
  const LoadedNetwork loaded = load_network(vm, opt, "info");
  const traces::Network& n = loaded.net;

  if (vm.count("json")) {
    out << network_json(n).dump(2) << "\n";
    return 0;
  }

  out << "model       " << n.name() << "  (resolution " << n.resolution() << ", " << loaded.batch_rule << ", "
      << traces::dtype_name(n.dtype()) << ")\n"
      << "params      " << si(static_cast<double>(n.params())) << "\n"
      << "MACs        " << si(static_cast<double>(n.macs())) << "   (" << si(n.macs() / static_cast<double>(n.batch()))
      << " per image)\n"
      << "FLOPs       " << si(static_cast<double>(n.flops())) << "   (2 per MAC)\n"
      << "weights     " << bytes_str(static_cast<double>(n.weight_bytes())) << "\n"
      << "activations " << bytes_str(static_cast<double>(n.activation_bytes())) << "   (sum of layer outputs)\n"
      << "layers      " << n.size() << "\n\n";
  // Name and shape columns as wide as their longest entry plus two spaces, so columns never run together.
  size_t wname = 5, win = 5, wout = 6;
  for (int id = 0; id < n.size(); ++id) {
    wname = std::max(wname, n.layer(id).name.size());
    win = std::max(win, input_shape(n, n.layer(id)).size());
    wout = std::max(wout, n.layer(id).output.str().size());
  }
  const int cname = static_cast<int>(wname + 2), cin = static_cast<int>(win + 2), cout_ = static_cast<int>(wout + 2);
  out << std::left << std::setw(cname) << "layer" << std::setw(16) << "kind" << std::setw(cin) << "input"
      << std::setw(cout_) << "output" << std::right << std::setw(12) << "MACs" << std::setw(12) << "params"
      << "\n";
  for (int id = 0; id < n.size(); ++id) {
    const auto& l = n.layer(id);
    std::string kind = traces::kind_name(l.kind);
    if (l.kind == traces::LayerKind::kActivation) kind = traces::act_name(l.act);
    if (l.is_depthwise()) kind = "depthwise";
    out << std::left << std::setw(cname) << l.name << std::setw(16) << kind << std::setw(cin) << input_shape(n, l)
        << std::setw(cout_) << l.output.str() << std::right << std::setw(12) << si(static_cast<double>(l.macs))
        << std::setw(12) << si(static_cast<double>(l.params)) << "\n";
  }
  return 0;
}

}  // namespace rp::cli
