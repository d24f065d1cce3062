#pragma once
// The trace outputs of one simulation (`ridgepoint simulate --trace F.h5 --chrome-trace F.json`), as a unit:
//   TraceSinks sinks(h5_path, json_path);          // creates F.h5.tmp / F.json.tmp now: bad paths fail early
//   options.observer = sinks.observer();           // nullptr when no trace is wanted (the fast default path)
//   SimResult r = simulate(net, acc, options);
//   sinks.write(r, net, meta);                     // writes both, then renames them into place
// If anything throws before write() has finished, the destructor removes the temporary files, so a failed run
// leaves neither F.h5 nor F.h5.tmp behind.
#include <memory>
#include <string>

#include "traces/writers/output_file.h"
#include "traces/writers/task_recorder.h"
#include "traces/writers/trace_data.h"

namespace rp::traces {

class TraceSinks {
 public:
  // Empty paths turn the corresponding output off. Throws rp::UsageError for an unwritable path or when both name
  // the same file.
  TraceSinks(const std::string& hdf5_path, const std::string& chrome_path);

  bool active() const { return m_hdf5 || m_chrome; }
  // The task recorder to pass as accel::SimOptions::observer, or nullptr when inactive.
  sim::IEngineObserver* observer() { return active() ? &m_recorder : nullptr; }
  // Writes every active output and commits it. Throws rp::SimulationError on a write error.
  void write(const sim::SimResult& result, const Network& net, const TraceMeta& meta);

 private:
  std::unique_ptr<OutputFile> m_hdf5, m_chrome;
  TaskRecorder m_recorder;
};

}  // namespace rp::traces
