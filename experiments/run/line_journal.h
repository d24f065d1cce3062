#pragma once
// An append-only journal of one-line JSON records (`OUTPUT.progress.jsonl`), shared by sweeps, NAS and LACS: a
// header line {"experiment": CANONICAL} identifying the run, then one record per finished unit of work. Each
// append is a single write() on an O_APPEND descriptor followed by fsync, so concurrent workers (forked jobs, MPI
// ranks) never interleave records and a finished record survives a kill. Opening a journal whose last record (or
// header) was cut short by a kill drops that partial line (the file is truncated after the last whole record), so
// that work is simply done again and the journal holds whole records only; readers still skip a line that does not
// parse (one being written by a live worker).
// Contract for users: open the journal while holding the output's traces::RunLock (run_lock.h), because opening
// may truncate; processes that join a run (MPI ranks other than 0) open it after the lock holder did. A user
// appends each unit of work once: it reads records() on resume and never re-appends what is there, so the journal
// never holds a unit twice (sweeps: tests/experiments/kill_test.sh counts them).
#include <string>
#include <vector>

namespace rp::traces {

class LineJournal {
 public:
  // Opens the journal at `path` for the run `canonical`, creating it with its header when absent or empty.
  // UsageError naming the path: it belongs to another run (the YAML changed), it is no journal, or it cannot be
  // created (checked before any work: the experiment's `output` path is bad).
  LineJournal(std::string path, const std::string& canonical);
  // Appends one record (no newline in it). SimulationError naming the path on a failed write.
  void append(const std::string& json_line) const;
  // Every line after the header, in file order (a torn last record included: parse and skip what fails).
  std::vector<std::string> records() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace rp::traces
