#pragma once
// Progress of a HURRICANE stage on the log (stderr): supernet training at most every 10% of its images with rate
// and ETA, one line per search generation with candidates scored, rate and ETA, and a closing line per phase.
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace rp::hurricane {

class StageProgress {
 public:
  StageProgress(std::ostream& out, std::string label);
  void training(int64_t done, int64_t total);
  void trained(int64_t images, int64_t resumed, double images_per_s);
  void start_search();  // before the search's first generation (rates and ETA count from here)
  void generation(int done, int total, int64_t scored_now);
  void searched(size_t candidates, int64_t scored_now, double seconds, double best_accuracy, double best_latency_ms,
                const std::string& best_ops);

 private:
  std::ostream& out_;
  std::string label_;
  std::chrono::steady_clock::time_point start_;
  int64_t first_done_ = -1;
  int last_decile_ = -1;
};

}  // namespace rp::hurricane
