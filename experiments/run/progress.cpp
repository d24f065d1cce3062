#include "experiments/run/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <string>

namespace rp::run {

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

Progress::Progress(std::ostream& out, int64_t total, int64_t already_done, bool terminal)
    : out_(out),
      total_(total),
      base_(already_done),
      terminal_(terminal),
      start_(std::chrono::steady_clock::now()),
      last_line_(start_) {}

void Progress::update(int64_t done) {
  // Estimates (MPI rank 0 scales its own count by the ranks) may overshoot: never show more than the total.
  done = std::clamp<int64_t>(done, 0, std::max<int64_t>(0, total_ - base_));
  if (done == last_done_) return;
  last_done_ = done;
  const auto now = std::chrono::steady_clock::now();
  const double secs = std::chrono::duration<double>(now - start_).count();
  const double rate = secs > 0 ? done / secs : 0;
  const int64_t left = total_ - base_ - done;
  const double eta = rate > 0 ? left / rate : 0;
  const int64_t shown = base_ + done;
  char line[160];
  if (terminal_) {
    const int width = 30;
    const int filled = total_ > 0 ? static_cast<int>(width * shown / total_) : width;
    std::snprintf(line, sizeof line, "\r[%-*s] %lld/%lld points  %.1f pt/s  ETA %.0f s ", width,
                  std::string(static_cast<size_t>(filled), '#').c_str(), static_cast<long long>(shown),
                  static_cast<long long>(total_), rate, eta);
    out_ << line << std::flush;
    return;
  }
  const int64_t decile = total_ > 0 ? 10 * shown / total_ : 10;
  if (decile != last_decile_ || std::chrono::duration<double>(now - last_line_).count() >= 10.0) {
    last_decile_ = decile;
    last_line_ = now;
    std::snprintf(line, sizeof line, "progress: %lld/%lld points, %.1f points/s, ETA %.0f s",
                  static_cast<long long>(shown), static_cast<long long>(total_), rate, eta);
    out_ << line << "\n" << std::flush;
  }
}

void Progress::finish() {
  if (terminal_) out_ << "\n" << std::flush;
}

}  // namespace rp::run
