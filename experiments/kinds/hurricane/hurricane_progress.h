#pragma once
// Progress of a HURRICANE search on the log (stderr), observing the method (nas/hurricane/two_stage.h): supernet
// training at most every 10% of its images with rate and ETA, one line per search generation with candidates
// scored, rate and ETA, and closing lines per phase.
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "nas/hurricane/two_stage.h"

namespace rp::kinds {

class HurricaneProgress : public hurricane::TwoStageObserver {
 public:
  explicit HurricaneProgress(std::ostream& out) : out_(out) {}
  void training(int stage, int64_t done, int64_t total) override;
  void trained(int stage, const hurricane::SupernetTrainStats& st) override;
  void search_started(int stage) override;
  void generation(int stage, int done, int total, int64_t scored_now) override;
  void searched(int stage, const hurricane::StageOutcome& st, const std::string& best_ops) override;
  void guarded(const hurricane::StageOutcome& st) override;
  void retraining(int64_t images, int epochs) override;

 private:
  std::ostream& out_;
  int stage_ = 0;  // the stage the figures below belong to
  std::chrono::steady_clock::time_point start_;
  int64_t first_done_ = -1;
  int last_decile_ = -1;
  int64_t asked_ = 0;  // images the supernet training was asked for (training() total)
};

}  // namespace rp::kinds
