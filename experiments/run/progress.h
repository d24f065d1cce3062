#pragma once
// Progress of a long run on stderr: a redrawn bar with count, rate and ETA on a terminal; plain lines (every 10%
// of the work or every 10 s, whichever comes first) when stderr is not a terminal.
#include <chrono>
#include <cstdint>
#include <iosfwd>

namespace rp::run {

class Progress {
 public:
  Progress(std::ostream& out, int64_t total, int64_t already_done, bool terminal);
  void update(int64_t done);  // `done` counts this run's points, from 0; clamped to what is left (never > total)
  void finish();

 private:
  std::ostream& out_;
  int64_t total_, base_, last_done_ = -1;
  bool terminal_;
  std::chrono::steady_clock::time_point start_, last_line_;
  int64_t last_decile_ = -1;
};

// True when `fd` is a terminal.
bool is_terminal(int fd);

}  // namespace rp::run
