#pragma once
// A network given as a YAML file of block strings plus stem / head settings (format: docs/models.md).
#include <string>

#include "traces/network/network.h"
#include "traces/zoo/zoo.h"

namespace rp::traces {

// Throws UsageError naming the file, line and key on a missing or bad key.
MbconvSpec load_network_spec(const std::string& file);
Network load_network_file(const std::string& file, const BuildOptions& options);

}  // namespace rp::traces
