#include "experiments/kinds/hurricane/stage_progress.h"

#include <cstdio>
#include <ostream>

namespace rp::hurricane {
namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

StageProgress::StageProgress(std::ostream& out, std::string label)
    : out_(out), label_(std::move(label)), start_(std::chrono::steady_clock::now()) {}

void StageProgress::training(int64_t done, int64_t total) {
  if (first_done_ < 0) {
    first_done_ = done;
    start_ = std::chrono::steady_clock::now();
    return;
  }
  const int decile = total > 0 ? static_cast<int>(10 * done / total) : 10;
  if (decile == last_decile_) return;
  last_decile_ = decile;
  const double s = since(start_);
  const double rate = s > 0 ? static_cast<double>(done - first_done_) / s : 0;
  const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
  char line[200];
  std::snprintf(line, sizeof line, "hurricane: %s supernet: %lld/%lld images (%.0f images/s, ETA %.0f s)\n",
                label_.c_str(), static_cast<long long>(done), static_cast<long long>(total), rate, eta < 0 ? 0 : eta);
  out_ << line << std::flush;
}

void StageProgress::trained(int64_t images, int64_t resumed, double images_per_s) {
  char line[200];
  std::snprintf(line, sizeof line, "hurricane: %s supernet trained: %lld images (%lld resumed), %.0f images/s\n",
                label_.c_str(), static_cast<long long>(images), static_cast<long long>(resumed), images_per_s);
  out_ << line;
}

void StageProgress::start_search() { start_ = std::chrono::steady_clock::now(); }

void StageProgress::generation(int done, int total, int64_t scored_now) {
  const double s = since(start_);
  const double eta = done > 0 ? s / done * (total - done) : 0;
  char line[200];
  std::snprintf(line, sizeof line, "hurricane: %s search: generation %d/%d, %lld scored now (%.0f candidates/min, "
                "ETA %.0f s)\n", label_.c_str(), done, total, static_cast<long long>(scored_now),
                s > 0 ? 60.0 * static_cast<double>(scored_now) / s : 0.0, eta);
  out_ << line << std::flush;
}

void StageProgress::searched(size_t candidates, int64_t scored_now, double seconds, double best_accuracy,
                             double best_latency_ms, const std::string& best_ops) {
  char line[300];
  std::snprintf(line, sizeof line, "hurricane: %s search done: %zu candidates drawn, %lld scored in this run "
                "(%.0f candidates/min); best accuracy %.4f at %.6g ms\n", label_.c_str(), candidates,
                static_cast<long long>(scored_now), seconds > 0 ? 60.0 * static_cast<double>(scored_now) / seconds : 0.0,
                best_accuracy, best_latency_ms);
  out_ << line << "hurricane: " << label_ << " winner: " << best_ops << "\n";
}

}  // namespace rp::hurricane
