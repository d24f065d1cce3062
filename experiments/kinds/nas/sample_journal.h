#pragma once
// The journal of a search (`OUTPUT.progress.jsonl`, a traces::LineJournal): a header line identifying the
// experiment, then one JSON line per finished sample. A rerun reads it, replays
// the controller with the recorded rewards (re-deriving its state exactly) and trains only the samples it lacks.
// A line cut short by a kill is ignored; a journal of a different experiment is a UsageError, never mixed in.
#include <cstdint>
#include <map>
#include <string>

#include "experiments/run/line_journal.h"

namespace rp::nas {

struct Sample {
  int64_t step = 0;
  std::string arch;        // canonical text
  bool feasible = true;
  std::string reason;      // why infeasible
  double latency_ms = 0;   // 0 when infeasible
  double accuracy = 0;     // proxy validation accuracy in [0, 1]; 0 when infeasible (not trained)
  double reward = 0;
  int64_t macs = 0, params = 0;  // ImageNet-scale network (MACs per image)
  bool trained_now = false;      // not journaled: trained in this run (false: from the journal or a duplicate)
};

class SampleJournal {
 public:
  // Opens or creates the journal; throws UsageError naming the path when it cannot be written.
  SampleJournal(std::string path, const std::string& canonical);
  std::map<int64_t, Sample> read() const;
  void append(const Sample& s) const;
  const std::string& path() const { return journal_.path(); }

 private:
  traces::LineJournal journal_;
};

}  // namespace rp::nas
