#pragma once
// Terminal table and JSON renderings of a SimResult.
#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "accel_models/common/accelerator.h"
#include "simulator/sim_result.h"
#include "traces/network/network.h"

namespace rp::cli {

// A unit kind's contention per instance: contention_ms (summed over its instances) / instances; for HBM, per
// channel. The JSON adds it as "contention_ms_per_instance" beside "contention_ms".
double contention_per_instance(const sim::UnitSummary& u);

// `batch_rule` (what chose the batch, experiments/kinds/model_files.h) is shown and given as "batch_rule" when set.
nlohmann::json result_json(const sim::SimResult& r, const accel::AcceleratorInfo& info,
                           const std::string& batch_rule = "");
void print_result(std::ostream& out, const sim::SimResult& r, const accel::AcceleratorInfo& info, bool layers,
                  const std::string& batch_rule = "");
// The per-layer (fusion / kernel) table as CSV: name, unit, fused layers, then the result schema's layer fields.
void write_layers_csv(std::ostream& out, const sim::SimResult& r);

// The files `ridgepoint simulate --trace F.h5 --chrome-trace F.json --csv F.csv` writes; an empty path: not written.
struct SimFiles {
  std::string trace, chrome_trace, csv;
};

// Simulates `net` on `acc` and writes `files`, as `ridgepoint simulate` does (the CLI and the Python module call
// this): each file is created as NAME.tmp before the simulation (an unwritable path throws UsageError before any
// work), written with checked writes and renamed into place only when complete; any failure (SimulationError for a
// write error such as a full disk) leaves neither NAME nor NAME.tmp. `command` is recorded in the traces' meta
// ("the command line that wrote the file").
// `batch_rule` goes into the HDF5 trace's attribute of that name.
sim::SimResult simulate_to_files(const traces::Network& net, const accel::IAccelerator& acc, const SimFiles& files,
                                 const std::string& command, const std::string& batch_rule = "");

}  // namespace rp::cli
