#include "experiments/kinds/hurricane/hurricane_progress.h"

#include <cstdio>
#include <ostream>

namespace rp::kinds {
namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

void HurricaneProgress::training(int stage, int64_t done, int64_t total) {
  if (stage != stage_ || first_done_ < 0) {  // the first batch of this run's training: rates count from here
    stage_ = stage;
    first_done_ = done;
    last_decile_ = -1;
    start_ = std::chrono::steady_clock::now();
    asked_ = total;
    return;
  }
  const int decile = total > 0 ? static_cast<int>(10 * done / total) : 10;
  if (decile == last_decile_) return;
  last_decile_ = decile;
  const double s = since(start_);
  const double rate = s > 0 ? static_cast<double>(done - first_done_) / s : 0;
  const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
  char line[200];
  std::snprintf(line, sizeof line, "hurricane: stage %d supernet: %lld/%lld images (%.0f images/s, ETA %.0f s)\n",
                stage, static_cast<long long>(done), static_cast<long long>(total), rate, eta < 0 ? 0 : eta);
  out_ << line << std::flush;
}

void HurricaneProgress::trained(int stage, const hurricane::SupernetTrainStats& st) {
  char line[200];
  // Training stops at the first whole batch at or past the images asked for: say so when it trained more.
  char rounded[120] = "";
  if (asked_ > 0 && st.images_done > asked_) {
    std::snprintf(rounded, sizeof rounded, ": the %lld asked for, rounded up to whole batches",
                  static_cast<long long>(asked_));
  }
  std::snprintf(
      line, sizeof line, "hurricane: stage %d supernet trained: %lld images (%lld resumed%s), %.0f images/s\n", stage,
      static_cast<long long>(st.images_done), static_cast<long long>(st.resumed_from), rounded, st.images_per_s);
  out_ << line;
}

void HurricaneProgress::search_started(int stage) {
  stage_ = stage;
  first_done_ = -1;
  start_ = std::chrono::steady_clock::now();
}

void HurricaneProgress::generation(int stage, int done, int total, int64_t scored_now) {
  const double s = since(start_);
  const double eta = done > 0 ? s / done * (total - done) : 0;
  char line[200];
  std::snprintf(line, sizeof line,
                "hurricane: stage %d search: generation %d/%d, %lld scored now (%.0f "
                "candidates/min, ETA %.0f s)\n",
                stage, done, total, static_cast<long long>(scored_now),
                s > 0 ? 60.0 * static_cast<double>(scored_now) / s : 0.0, eta);
  out_ << line << std::flush;
}

void HurricaneProgress::searched(int stage, const hurricane::StageOutcome& st, const std::string& best_ops) {
  const double rate = st.search_seconds > 0 ? 60.0 * static_cast<double>(st.scored_now) / st.search_seconds : 0.0;
  char line[300];
  std::snprintf(line, sizeof line,
                "hurricane: stage %d search done: %zu candidates drawn, %lld scored in this run "
                "(%.0f candidates/min); best top-1 %.2f%% at %.6g ms\n",
                stage, st.ea.candidates.size(), static_cast<long long>(st.scored_now), rate, 100 * st.ea.best.fitness,
                st.ea.best.latency_ms);
  out_ << line << "hurricane: stage " << stage << " winner: " << best_ops << "\n";
}

void HurricaneProgress::guarded(const hurricane::StageOutcome& st) {
  char line[300];
  std::snprintf(
      line, sizeof line,
      "hurricane: stage 2 guard: a_win1 top-1 %.2f%% with stage 1's weights, %.2f%% fine-tuned: %s\n",
      100 * st.win1_stage1, 100 * st.win1_fine_tuned,
      st.win1_restored ? "its first t layers' ops put back to stage 1's weights" : "the fine-tuned weights kept");
  out_ << line;
}

void HurricaneProgress::retraining(int64_t images, int epochs) {
  out_ << "hurricane: retraining the winner from scratch (" << images << " images x " << epochs << " epochs)\n";
}

}  // namespace rp::kinds
