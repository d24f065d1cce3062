#pragma once
// The journal of a HURRICANE run (`OUTPUT.progress.jsonl`, a traces::LineJournal): a header line identifying the
// experiment, then one JSON line {"stage": S, "arch": "i,j,...", "fitness": F} per scored candidate. The search is
// deterministic for its seed, so a rerun replays it and takes every fitness it finds here instead of scoring the
// candidate again; only the missing ones are computed. A record appears once: a fitness already held is not
// appended again, and a torn last line (a kill mid-write) is skipped and recomputed.
#include <map>
#include <string>
#include <utility>

#include "nas/hurricane/search/evolution.h"
#include "experiments/run/line_journal.h"

namespace rp::hurricane {

std::string arch_text(const Arch& a);  // "3,0,1,..."

class FitnessCache {
 public:
  // Opens or creates the journal (UsageError naming the path: another experiment's journal, or unwritable).
  FitnessCache(std::string path, const std::string& canonical);
  // The recorded fitness of `a` in `stage`, or nullptr.
  const double* find(int stage, const Arch& a) const;
  void record(int stage, const Arch& a, double fitness);  // appends unless already held
  size_t size() const { return known_.size(); }

 private:
  traces::LineJournal journal_;
  std::map<std::pair<int, std::string>, double> known_;
};

}  // namespace rp::hurricane
