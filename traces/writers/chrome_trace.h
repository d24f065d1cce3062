#pragma once
// Chrome trace-event JSON (opens in Perfetto / chrome://tracing). Layout, documented in docs/traces.md:
//  - pid 1 "fusions": every layer / fusion group as an "X" span carrying its figures (MACs, W, Q, I, E) as args,
//    spread over as few lanes (tids) as needed so that spans on one lane never overlap;
//  - pid 2, 3, ...: one process per unit_process() of the units ("core0", "core1", ...), one thread per unit
//    instance that ran tasks (tid = unit index + 1), each task an "X" event named after its layer, cat = its kind;
//    plus a counter ("C") "<process>.hbm GB/s (per-transfer average)": the bytes of each load / store task spread
//    evenly over its duration (setup and queueing included), summed; an approximation of the HBM traffic, whose
//    short peaks can exceed the HBM's bandwidth since the HBM model does not report per-channel timing;
//  - "M" events name every process and thread and fix their order.
// ts and dur are microseconds, rounded to whole nanoseconds first, so an importer that rounds ts * 1000 to integer
// nanoseconds (Perfetto) sees back-to-back tasks touch without overlapping.
#include <string>

#include <nlohmann/json.hpp>

#include "traces/writers/output_file.h"
#include "traces/writers/trace_data.h"

namespace rp::traces {

nlohmann::json chrome_trace_json(const TraceInput& in);

// Writes chrome_trace_json(in) to `out`'s temporary (OutputFile::write: every byte checked); the caller then calls
// out.commit(). Throws rp::SimulationError naming the output and the system's reason on an I/O error.
void write_chrome_trace(const TraceInput& in, OutputFile& out);
// The same as one atomic step: `path` is replaced only by a complete file. Throws rp::UsageError for a refused
// path, rp::SimulationError for a failed write.
void write_chrome_trace(const TraceInput& in, const std::string& path);

}  // namespace rp::traces
