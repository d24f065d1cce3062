#include "experiments/cli/command.h"
#include "experiments/cli/torch_seam.h"
#include "experiments/cli/torch_table.h"
#include "experiments/kinds/kind.h"

namespace rp::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = [] {
    std::vector<Command> t = {
        {"models", "list the model zoo", cmd_models},
        {"accelerators", "list the built-in accelerators and where copies of their YAML are", cmd_accelerators},
        {"info", "parameters, MACs, FLOPs and per-layer table of a network", cmd_info},
        {"simulate", "simulate a network on an accelerator: latency, utilization, contention, roofline", cmd_simulate},
        {"compare", "simulate several networks on one accelerator, one line each", cmd_compare},
        {"run", "run an experiment YAML to HDF5, resumable, --jobs / MPI parallel (kinds: " + kinds::kind_names() + ")",
         cmd_run},
        {"kinds", "the experiment kinds, and every settings key of one (type, unit, bounds, default)", cmd_kinds},
        {"validate",
         "compare simulated with published latencies (TPUv3, V100, modern GPU stack): errors, MAPE, Spearman",
         cmd_validate},
        {"calibrate", "fit an accelerator's software-stack (stack:) parameters to the published latencies",
         cmd_calibrate},
        {"plot", "draw the figure of a run output or trace (PNG, SVG or PDF; Python module ridgepoint.figures)",
         cmd_plot},
        {"import", "write any network (.pt, .onnx, network file, zoo name) as a layer-list network file", cmd_import},
        {"sensitivity", "rank every numeric hardware key by the elasticity of latency (and energy) of a network",
         cmd_sensitivity},
    };
    // The LibTorch commands (torch_table.h): run by ridgepoint-torch; in `ridgepoint` the seam hands them over.
    for (const auto& e : torch_commands()) {
      const std::string name = e.name;
      t.push_back({name, e.summary, [name](const std::vector<std::string>& args, std::ostream& out) {
                     return run_torch_command(name, args, out);
                   }});
    }
    return t;
  }();
  return table;
}

}  // namespace rp::cli
