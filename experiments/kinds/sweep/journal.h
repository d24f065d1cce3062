#pragma once
// The progress journal of a sweep (a traces::LineJournal): one JSON line per finished point, appended and flushed
// to disk (fsync) as each point completes, next to the output (`OUTPUT.progress.jsonl`). Re-running reads it and skips what is
// done; the HDF5 output is (re)written from it once every point is done. Several processes (--jobs workers, MPI
// ranks) append to the same journal: each line is a single write() on an O_APPEND descriptor. A line cut short by
// a kill is ignored (that point is computed again). The first line identifies the experiment; a journal of a
// different experiment is an error, never silently mixed in.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "experiments/run/line_journal.h"

namespace rp::run {

struct Row {
  int64_t point = 0;
  std::string accelerator, model;
  std::vector<std::string> values;  // swept parameter values
  std::string status = "ok";        // "ok" or why the point could not be simulated
  std::vector<double> figures;      // the sweep columns of the result schema (sweep_fields()), in that order
  std::vector<std::pair<std::string, double>> busy;  // unit kind (or datapath) -> busy fraction
};

// The result-schema fields that are columns of a sweep table (simulator/result_schema.h, in_sweeps).
std::vector<std::string> sweep_fields();

class Journal {
 public:
  // Opens (creating with a header line if absent) the journal at `path` for experiment `canonical`.
  Journal(std::string path, const std::string& canonical);
  std::map<int64_t, Row> read() const;  // finished points by index (last line wins)
  void append(const Row& row) const;    // one line, then fsync
  const std::string& path() const { return journal_.path(); }

 private:
  traces::LineJournal journal_;
};

}  // namespace rp::run
