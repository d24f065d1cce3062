#pragma once
// An output file written under a temporary name and renamed when complete, so a failed or interrupted run never
// leaves a file that looks finished: `out.h5` is written as `out.h5.tmp`, which commit() renames to `out.h5`.
// This is also the checkpoint writer of searches and training (controller state, supernet weights, optimizer
// state): commit() flushes the temporary to disk (fsync), renames it over the old file and flushes the directory,
// so a kill (or a crash) at any moment leaves at `path` either the previous complete file or the new complete one,
// never a mix; at worst a stale `path.tmp` stays behind, which the next write truncates. Two runs must not write
// the same path at once: hold the output's traces::RunLock (run_lock.h).
#include <functional>
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
  // Flushes the temporary file to disk, renames it to path() (replacing an existing file) and flushes the
  // directory. Throws rp::SimulationError naming the file on failure (the temporary is then removed).
  void commit();

 private:
  std::string m_path, m_tmp;
  bool m_committed = false;
};

// Replaces `path` atomically: `write(tmp_path)` fills a temporary (any writer that takes a file name: an ofstream,
// HDF5, torch::save), which is then committed as above. Exceptions of `write` propagate and leave `path` as it was.
void write_atomically(const std::string& path, const std::function<void(const std::string& tmp_path)>& write);

// `path` without a trailing ".h5": the stem the searches name their side outputs after (OUT.best1.yaml, ...).
std::string output_stem(const std::string& path);

}  // namespace rp::traces
