#pragma once
// HDF5 trace writer. Schema (format_version 1) in docs/traces.md:
//   /meta    group; attributes: identity (model, accelerator, batch, tool_version, ...), whole-network figures
//            (latency_ms, flops, hbm_bytes, peak_flops, hbm_bandwidth, ...), accelerator_yaml, network (YAML text)
//   /layers  one row per fusion group (SimResult::layers order; the index /tasks.layer refers to)
//   /tasks   one row per simulated task (row i = TaskId i)
//   /units   one row per unit instance (row i = /tasks.unit i), then one per HBM
// Times in milliseconds (float64; exact to the picosecond for runs below ~100 s).
#include <string>

#include "traces/writers/trace_data.h"

namespace rp::traces {

// Writes `in` to `path` (created or truncated). Throws rp::SimulationError naming the path when HDF5 fails; HDF5's
// own error printing is off for the duration of the call. Write to an OutputFile's tmp_path() for atomicity.
void write_hdf5_trace(const TraceInput& in, const std::string& path);

}  // namespace rp::traces
