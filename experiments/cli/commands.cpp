#include "experiments/cli/command.h"

namespace rp::cli {

int cmd_nas(const std::vector<std::string>& args, std::ostream& out);  // cmd_nas.cpp

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"models", "list the model zoo", cmd_models},
      {"info", "parameters, MACs, FLOPs and per-layer table of a network", cmd_info},
      {"simulate", "simulate a network on an accelerator: latency, utilization, contention, roofline", cmd_simulate},
      {"compare", "simulate several networks on one accelerator, one line each", cmd_compare},
      {"run", "run an experiment YAML (simulate, sweep, nas or lacs) to HDF5, resumable, --jobs / MPI parallel", cmd_run},
      {"nas", "neural architecture search spaces: decisions, size, an architecture's blocks", cmd_nas},
      {"validate", "compare simulated with published latencies (TPUv3, V100, modern GPU stack): errors, MAPE, Spearman", cmd_validate},
      {"calibrate", "fit an accelerator's software-stack (stack:) parameters to the published latencies", cmd_calibrate},
  };
  return table;
}

}  // namespace rp::cli
