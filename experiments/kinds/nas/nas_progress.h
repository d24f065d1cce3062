#pragma once
// Progress of a search on the log (stderr): one line per finished sample with the count, this run's rate
// (samples per minute), the ETA, and the sample's figures and the best reward so far.
#include <chrono>
#include <cstdint>
#include <iosfwd>

#include "nas/search/nas_search.h"

namespace rp::kinds {

class NasProgress {
 public:
  NasProgress(std::ostream& out, int64_t total, int64_t already_done);
  void sample_done(const nas::Sample& s);
  void finish() const;

 private:
  std::ostream& out_;
  int64_t total_, done_, fresh_ = 0;
  double best_ = -1;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace rp::kinds
