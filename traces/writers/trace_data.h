#pragma once
// What the trace writers (HDF5, Chrome trace) are given: the simulation result, the network it ran, the per-task
// records and the context that makes a trace self-describing.
#include <string>
#include <vector>

#include "simulator/sim_result.h"
#include "traces/network/network.h"
#include "traces/writers/task_recorder.h"

namespace rp::traces {

struct TraceMeta {
  std::string family;                   // accelerator family: "tpu", "gpu"
  std::string precision;                // "bf16", ...
  std::string accelerator_source;       // where its config came from (AcceleratorInfo::label)
  std::string accelerator_yaml;         // the full resolved config (AcceleratorInfo::resolved_yaml)
  std::string command;                  // the command line that produced the trace ("" if none)
  std::vector<std::string> task_kinds;  // name of each TaskTrace::kind code
  std::string batch_rule;               // what chose the batch: "batch 128, tpuv3 default" (experiments/kinds)
};

struct TraceInput {
  const sim::SimResult& result;
  const Network& network;
  const std::vector<TaskTrace>& tasks;  // indexed by TaskId; TaskTrace::unit indexes result.instances
  const TraceMeta& meta;
};

// The "process" a unit instance belongs to, for grouping: its name up to the last '.' ("core0.dma_read1" ->
// "core0"), or "device" for a name without a dot.
std::string unit_process(const std::string& unit_name);

// The name of a task kind code, or "kind<code>" when `meta.task_kinds` has none.
std::string task_kind_name(const TraceMeta& meta, int32_t kind);

// The tool version written into traces.
const char* tool_version();

}  // namespace rp::traces
