#pragma once
// HDF5 trace writer. Schema (format_version 1) in docs/traces.md:
//   /meta    group; attributes: identity (model, accelerator, batch, tool_version, ...), whole-network figures
//            (latency_ms, flops, hbm_bytes, peak_flops, hbm_bandwidth, ...), accelerator_yaml, network (YAML text)
//   /layers  one row per fusion group (SimResult::layers order; the index /tasks.layer refers to)
//   /tasks   one row per simulated task (row i = TaskId i)
//   /units   one row per unit instance (row i = /tasks.unit i), then one per HBM
// Times in milliseconds (float64; exact to the picosecond for runs below ~100 s).
#include <string>

#include "traces/writers/output_file.h"
#include "traces/writers/trace_data.h"

namespace rp::traces {

// Writes `in` to `out`'s temporary through write_hdf5 (h5_seam.h): built in memory, every step checked; the caller
// then calls out.commit(). Throws rp::SimulationError naming the output on failure.
void write_hdf5_trace(const TraceInput& in, OutputFile& out);
// The same as one atomic step: replaces `path` only once the trace is complete (the caller checks `path` with
// check_h5_output first). Throws rp::UsageError for a refused path, rp::SimulationError for a failed write.
void write_hdf5_trace(const TraceInput& in, const std::string& path);

}  // namespace rp::traces
