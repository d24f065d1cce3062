#pragma once
// An output file written under a temporary name and renamed when complete, so a failed or interrupted run never
// leaves a file that looks finished: `out.h5` is written as `out.h5.tmp`, which commit() renames to `out.h5`.
// This is also the checkpoint writer of searches and training (controller state, supernet weights, optimizer
// state): commit() flushes the temporary to disk (fsync), renames it over the old file and flushes the directory,
// so a kill (or a crash) at any moment leaves at `path` either the previous complete file or the new complete one,
// never a mix; at worst a stale `path.tmp` stays behind, which the next write removes. Two runs must not write
// the same path at once: hold the output's traces::RunLock (run_lock.h).
//
// Side files never follow symlinks: the temporary is created by this class with O_CREAT | O_EXCL | O_NOFOLLOW in
// the output's own directory (a stale regular `path.tmp` is removed first; a symlink, FIFO or any other non-regular
// file there is refused), and commit() renames it only while `path.tmp` is still the inode created here. An
// existing `path` that is not a regular file (a symlink, FIFO, socket, device) is refused before anything is
// opened. HDF5 outputs: see h5_output.h, which builds on this class.
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rp::traces {

class OutputFile {
 public:
  // Creates `path + ".tmp"` right away (see above), so an unwritable or refused destination is reported before any
  // work is done. Throws rp::UsageError, one line naming the path and the reason ("output 'x' is not a regular
  // file (a symbolic link)", "cannot write 'x': No such file or directory", ...).
  explicit OutputFile(std::string path);
  // Removes the temporary file unless commit() succeeded (and only while it is still the one created here).
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  const std::string& path() const { return m_path; }
  // The temporary's name, for writers that open files by name (torch::save, an ofstream): such a writer must check
  // its own writes (an ofstream on a full disk fails only at close(): check the stream after close()). Prefer
  // write(), which checks every byte.
  const std::string& tmp_path() const { return m_tmp; }
  // Appends `data` to the temporary through the descriptor created by the constructor, every byte checked. Throws
  // rp::SimulationError naming path() and the system's reason ("No space left on device") on failure.
  void write(std::string_view data);
  // Flushes the temporary to disk (fsync), closes it, checks that `path.tmp` is still the inode created here,
  // renames it to path() (replacing an existing file) and flushes the directory. Every step is checked: throws
  // rp::SimulationError naming the file on failure, and the temporary is then removed by the destructor.
  void commit();

 private:
  void create_temporary();
  bool still_ours() const;

  std::string m_path, m_tmp;
  int m_fd = -1;
  dev_t m_dev = 0;
  ino_t m_ino = 0;
  bool m_committed = false;
};

// Throws rp::UsageError ("output 'x' is not a regular file (a FIFO)") when `path` exists and is not a regular file
// or a directory; symlinks are not followed (a symlink as the last component is refused). Opens nothing.
void refuse_non_regular_output(const std::string& path);

// Replaces `path` atomically: `write(tmp_path)` fills the temporary of an OutputFile (any writer that takes a file
// name: an ofstream, torch::save), which is then committed as above. The writer must report its own failures by
// throwing (see tmp_path()). Exceptions of `write` propagate and leave `path` as it was; no temporary stays.
void write_atomically(const std::string& path, const std::function<void(const std::string& tmp_path)>& write);

// `path` without a trailing ".h5": the stem a run names the directory of its side outputs after (OUT.files/).
std::string output_stem(const std::string& path);

// The directory part of `path` ("." for a bare name, "/" for a file in the root).
std::string directory_of(const std::string& path);

// The whole content of the regular file at `path`, opened without following a link and without waiting on a FIFO;
// nothing when there is no file. UsageError naming `what` and `path` when it is a symbolic link or not a regular
// file, or cannot be read. For the side files of a run (journal, checkpoints, YAMLs) that must never be read
// through a link planted at their path.
std::optional<std::string> read_no_follow(const std::string& path, const std::string& what);

}  // namespace rp::traces
