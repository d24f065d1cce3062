#include "traces/writers/trace_data.h"

#ifndef RIDGEPOINT_VERSION
#define RIDGEPOINT_VERSION "unknown"
#endif

namespace rp::traces {

std::string unit_process(const std::string& unit_name) {
  const size_t dot = unit_name.rfind('.');
  return (dot == std::string::npos || dot == 0) ? "device" : unit_name.substr(0, dot);
}

std::string task_kind_name(const TraceMeta& meta, int32_t kind) {
  const auto k = static_cast<size_t>(kind);
  if (kind >= 0 && k < meta.task_kinds.size()) return meta.task_kinds[k];
  return "kind" + std::to_string(kind);
}

const char* tool_version() { return RIDGEPOINT_VERSION; }

}  // namespace rp::traces
