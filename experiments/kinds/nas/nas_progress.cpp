#include "experiments/kinds/nas/nas_progress.h"

#include <cstdio>
#include <ostream>

namespace rp::kinds {

NasProgress::NasProgress(std::ostream& out, int64_t total, int64_t already_done)
    : out_(out), total_(total), done_(already_done), start_(std::chrono::steady_clock::now()) {}

void NasProgress::sample_done(const nas::Sample& s) {
  ++done_;
  ++fresh_;
  if (s.feasible && s.reward > best_) best_ = s.reward;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double per_min = secs > 0 ? 60.0 * static_cast<double>(fresh_) / secs : 0;
  const double eta = per_min > 0 ? 60.0 * static_cast<double>(total_ - done_) / per_min : 0;
  char line[400];
  if (s.feasible) {
    std::snprintf(
        line, sizeof line,
        "[%lld/%lld] %.2f samples/min, ETA %.0f s | step %lld: %.4g ms, top-1 %.2f%%, reward %.4f%s (best %.4f)",
        static_cast<long long>(done_), static_cast<long long>(total_), per_min, eta, static_cast<long long>(s.step),
        s.latency_ms, 100 * s.accuracy, s.reward, s.rated_now ? "" : " (repeat)", best_);
  } else {
    std::snprintf(line, sizeof line, "[%lld/%lld] %.2f samples/min, ETA %.0f s | step %lld: infeasible: %.200s",
                  static_cast<long long>(done_), static_cast<long long>(total_), per_min, eta,
                  static_cast<long long>(s.step), s.reason.c_str());
  }
  out_ << line << "\n" << std::flush;
}

void NasProgress::finish() const { out_ << std::flush; }

}  // namespace rp::kinds
