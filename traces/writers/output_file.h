#pragma once
// An output file written under a temporary name and renamed when complete, so a failed or interrupted run never
// leaves a file that looks finished: `out.h5` is written as `out.h5.tmp`, which commit() renames to `out.h5`.
#include <string>

namespace rp::traces {

class OutputFile {
 public:
  // Creates (truncates) `path + ".tmp"` right away, so an unwritable destination is reported before any work is
  // done. Throws rp::UsageError naming the path and the system's reason.
  explicit OutputFile(std::string path);
  // Removes the temporary file unless commit() succeeded.
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  const std::string& path() const { return m_path; }
  const std::string& tmp_path() const { return m_tmp; }
  // Renames the temporary file to path() (replacing an existing file). Throws rp::SimulationError on failure.
  void commit();

 private:
  std::string m_path, m_tmp;
  bool m_committed = false;
};

}  // namespace rp::traces
