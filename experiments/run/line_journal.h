#pragma once
// The progress journal of a run (`OUTPUT.progress.jsonl`), used by every kind through RunContext: a header line
// holding the run's identity (identity.h: settings, input files, version), then one JSON record per finished unit
// of work. Each append is a single write() on an O_APPEND descriptor followed by fsync, so a finished record
// survives a kill. Opening a journal whose last record (or header) was cut short by a kill drops that partial line
// (the file is truncated after its last whole record), so that work is simply done again and the journal holds
// whole records only.
// Safety: the journal is opened with O_NOFOLLOW and must be a regular file: a symbolic link (or a FIFO, a device)
// planted at its path is refused, never followed. A journal of a run with another identity is refused with one
// line naming the difference (the experiment, an input file or the program changed), never mixed in.
// Contract for users: open the journal while holding the output's RunLock (run_lock.h), because opening may
// truncate. A user appends each unit of work once: it reads records() on resume and never re-appends what is
// there, so the journal never holds a unit twice.
#include <string>
#include <vector>

#include "experiments/run/identity.h"

namespace rp::run {

class LineJournal {
 public:
  // Opens the journal at `path` for the run `identity`, creating it with its header when absent or empty.
  // UsageError naming the path: a symbolic link or not a regular file, another run's journal (with the
  // difference), no journal at all, or it cannot be created (the output's directory is bad).
  LineJournal(std::string path, const RunIdentity& identity);
  // Appends one record (no newline in it). SimulationError naming the path and the reason on a failed or short
  // write (e.g. "No space left on device").
  void append(const std::string& json_line) const;
  // Every line after the header, in file order (a torn last record included: parse and skip what fails).
  std::vector<std::string> records() const;
  const std::string& path() const { return path_; }
  bool created() const { return created_; }  // this open created the file (records() was empty then)

 private:
  std::string path_;
  bool created_ = false;
};

}  // namespace rp::run
