#pragma once
// An append-only journal of one-line JSON records (`OUTPUT.progress.jsonl`), shared by sweeps, NAS and LACS: a
// header line {"experiment": CANONICAL} identifying the run, then one record per finished unit of work. Each
// append is a single write() on an O_APPEND descriptor followed by fsync, so concurrent workers (forked jobs, MPI
// ranks) never interleave records and a finished record survives a kill. Opening a journal whose last record was
// cut short by a kill ends that line, so the next record starts a line of its own; readers skip lines that do not
// parse (that work is simply done again).
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
