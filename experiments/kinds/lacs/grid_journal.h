#pragma once
// The journal of a coefficient search (`OUTPUT.progress.jsonl`, a traces::LineJournal): a header line
// identifying the experiment, then one JSON line per finished grid point (its index in evaluation order: the
// coarse grid, then the refinement). A
// rerun reads it and evaluates only what is missing; a line cut short by a kill is ignored; a journal of a
// different experiment is a UsageError, never mixed in. Doubles round-trip exactly; NaN is written as null.
#include <cstdint>
#include <map>
#include <string>

#include "lacs/grid_search.h"
#include "experiments/run/line_journal.h"

namespace rp::lacs {

// One point as a one-line JSON object (also the reply format of --jobs workers).
std::string point_json(int64_t index, const PointResult& p);
PointResult point_from_json(const std::string& line, int64_t* index);

class GridJournal {
 public:
  // Opens or creates the journal; throws UsageError naming the path when it cannot be written.
  GridJournal(std::string path, const std::string& canonical);
  std::map<int64_t, PointResult> read() const;
  void append(int64_t index, const PointResult& p) const;
  const std::string& path() const { return journal_.path(); }

 private:
  traces::LineJournal journal_;
};

}  // namespace rp::lacs
