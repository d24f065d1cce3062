#include "traces/writers/trace_sinks.h"

#include "simulator/error.h"
#include "traces/writers/chrome_trace.h"
#include "traces/writers/hdf5_writer.h"
#include "traces/writers/output_guard.h"

namespace rp::traces {

TraceSinks::TraceSinks(const std::string& hdf5_path, const std::string& chrome_path) {
  if (!hdf5_path.empty() && hdf5_path == chrome_path) {
    throw UsageError("--trace and --chrome-trace name the same file '" + hdf5_path + "'");
  }
  if (!hdf5_path.empty()) {
    check_h5_output(hdf5_path);  // never replaces a file Ridgepoint did not write
    m_hdf5 = std::make_unique<OutputFile>(hdf5_path);
  }
  if (!chrome_path.empty()) m_chrome = std::make_unique<OutputFile>(chrome_path);
}

void TraceSinks::write(const sim::SimResult& result, const Network& net, const TraceMeta& meta) {
  if (static_cast<int64_t>(m_recorder.tasks().size()) != result.tasks) {
    throw SimulationError("trace: " + std::to_string(m_recorder.tasks().size()) + " tasks recorded, the simulation " +
                          "ran " + std::to_string(result.tasks) + " (pass observer() to simulate())");
  }
  const TraceInput in{result, net, m_recorder.tasks(), meta};
  if (m_hdf5) write_hdf5_trace(in, *m_hdf5);
  if (m_chrome) write_chrome_trace(in, *m_chrome);
  if (m_hdf5) m_hdf5->commit();
  if (m_chrome) m_chrome->commit();
}

}  // namespace rp::traces
