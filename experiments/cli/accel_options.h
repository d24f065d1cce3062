#pragma once
// The accelerator options shared by the commands that simulate (--accel, --set, --batch): declared once, and
// turned into a configured accelerator plus the build options (batch, precision) of the networks to run on it.
#include <memory>
#include <string>

#include "accel_models/common/accelerator.h"
#include "accel_models/config/accelerator_config.h"
#include "experiments/cli/options.h"
#include "traces/zoo/zoo.h"

namespace rp::cli {

void add_accel_options(po::options_description& desc);

struct Target {
  std::shared_ptr<const accel::IAccelerator> acc;
  traces::BuildOptions build;  // batch (default: the accelerator's), dtype (its precision); resolution 0
};

// Throws UsageError naming `command` for a --batch below 1 (0 included) or above traces::kMaxBatch; without
// --batch, the accelerator's default_batch.
Target load_target(const po::variables_map& vm, const std::string& command);

// The typed config of --accel with the --set overrides applied (what load_target builds), to derive variants from.
accel::AcceleratorConfig load_config(const po::variables_map& vm);

}  // namespace rp::cli
