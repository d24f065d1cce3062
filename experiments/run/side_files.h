#pragma once
// The directory a run owns beside its output, STEM.files/ (output "results/nas.h5" -> "results/nas.files/"), for
// what the run writes besides its table: best-architecture, family and winner YAMLs, supernet checkpoints.
// Safety:
// - The directory is created by the run with a list of the files it wrote (.ridgepoint-run), and is used only
//   when that list is there: a directory (or anything else) at that path without it is refused, so a run never
//   writes into a directory of the user's.
// - The directory appears whole: it is made as STEM.files.tmp/ with its (empty) list inside and renamed into
//   place, and removed by the reverse, so a kill at any moment leaves at dir() either nothing or a directory with
//   its list, never one that the next run would refuse. A STEM.files.tmp/ left by a kill holds nothing but the
//   list and is removed by the next creation or removal; one holding anything else is refused (by check(), before
//   any work), never emptied.
// - A file is replaced only when the list names it: a file the run did not write is never replaced.
// - Every file is written atomically (traces::write_atomically: a temporary opened with O_EXCL | O_NOFOLLOW,
//   fsync, rename, fsync of the directory) and read with O_NOFOLLOW: a symbolic link planted in the directory is
//   never followed.
// Hold the output's RunLock (run_lock.h) while using it.
#include <optional>
#include <string>
#include <vector>

namespace rp::run {

class SideFiles {
 public:
  explicit SideFiles(const std::string& output);

  const std::string& dir() const { return dir_; }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

  // UsageError (one line) when something is at dir() that is not a directory this run's kind made, or when its
  // staging path (STEM.files.tmp) holds anything a killed run would not have left. Checked before a run does any
  // work.
  void check() const;
  // Writes `name` (a plain file name) with `bytes`, creating the directory on first use. UsageError when the
  // directory is not ours or `name` exists without having been written by a run; SimulationError when the write
  // fails (the old file, if any, stays).
  void write(const std::string& name, const std::string& bytes);
  // The content of `name`, or nothing when absent; UsageError for a link or a file that is not regular.
  std::optional<std::string> read(const std::string& name) const;
  // Removes every file the run wrote (--fresh), keeping the directory.
  void clear();
  // Removes the directory when it holds nothing but its list (a run that wrote nothing); a directory with
  // anything else inside stays as it is, list included.
  void remove_if_empty();

 private:
  std::vector<std::string> written() const;  // the list; empty when there is no directory
  void record(const std::vector<std::string>& names);
  void create();                // dir() with an empty list, made under staging_ and renamed into place
  void remove_staging() const;  // a staging_ left by a kill; UsageError when it holds anything else

  std::string dir_, staging_;
};

// "results/nas.files" for "results/nas.h5" (and for "results/nas").
std::string side_directory(const std::string& output);

}  // namespace rp::run
