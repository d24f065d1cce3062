#pragma once
// The published measurements (experiments/validation/published-latencies.csv, modern-latencies.csv and
// transformer-latencies.csv, embedded
// at build time) and the calibration parameter bounds (calibration.yaml).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rp::validation {

struct Measurement {
  std::string source;       // "table3" / "table4" of Li et al. CVPR 2021
  int paper_row = 0;        // position in that table's body
  std::string paper_model;  // as the paper names it
  std::string accelerator;  // built-in accelerator name
  std::string model;        // zoo name simulated for it
  double measured_ms = 0;
  double paper_intensity = 0, paper_efficiency = 0;
  int64_t batch = 128;  // images per measured batch (the paper rows: the working assumption, 128 per device)
  bool fit = true;      // false: a prediction row, never fitted on
  int64_t seq_len = 0;  // tokens per sequence (0: the model's own; transformer rows)
  // Rows of a group other than "" are summarized apart from the accelerator's own rows (transformer-latencies.csv:
  // "transformers"), so they never move its figures.
  std::string group{};
};

struct FitParam {
  std::string key;  // dotted accelerator key
  double lo = 0, hi = 0;
};

// The paper's rows (published-latencies.csv), the modern-stack rows (modern-latencies.csv), then the transformer
// prediction rows (transformer-latencies.csv, group "transformers").
const std::vector<Measurement>& published_measurements();
// The accelerators calibration.yaml lists, in its order.
std::vector<std::string> calibration_accelerators();
// The parameters to fit for `accelerator`, from calibration.yaml (empty if none are listed).
std::vector<FitParam> fit_params(const std::string& accelerator);

}  // namespace rp::validation
