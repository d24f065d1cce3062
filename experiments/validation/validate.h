#pragma once
// Simulates every published measurement and compares: signed error per row, MAPE, max error and Spearman rank
// correlation per accelerator, and the ratios the paper cares about (X-B0 speedup over B0, B7/B0 growth, the
// Table 4 ablation steps). Each row at its own batch (Li et al.'s: 128 per device, the working assumption) and the
// accelerator's own precision.
#include <map>
#include <string>
#include <vector>

#include "experiments/validation/dataset.h"

namespace rp::validation {

constexpr int64_t kBatchPerDevice = 128;
// Rank statistics over fewer rows say nothing (two rows give Spearman +-1 by construction): below this many rows
// an accelerator's Spearman is NaN, shown "n/a (N rows)" and written null in JSON.
constexpr int kMinRankRows = 5;

struct RowResult {
  Measurement m;
  double simulated_ms = 0;
  double error = 0;  // (simulated - measured) / measured
  // The simulated roofline figures (FLOP/byte; achieved / ideal rate) and, where the row publishes I and E (Li et
  // al.'s Tables 3-4), their relative errors; NaN where nothing is published. A byte-model error shows here as an
  // intensity error whatever the time model does.
  double simulated_intensity = 0, simulated_efficiency = 0;
  double intensity_error = 0, efficiency_error = 0;
};

// Rows that agree within this share with a published intensity count as "within" (issue 25's must-show).
constexpr double kIntensityTolerance = 0.15;

struct FamilySummary {
  std::string family;
  int rows = 0;
  double mape = 0, spearman = 0;  // Spearman NaN below kMinRankRows rows
};

struct RatioCheck {
  std::string name;  // e.g. "EfficientNet-X-B0 speedup over EfficientNet-B0"
  double simulated = 0, measured = 0, error = 0;
};

struct AccelSummary {
  std::string accelerator;
  std::string group;  // "" for the accelerator's own rows; else a set summarized apart ("transformers")
  int rows = 0;
  double mape = 0, max_error = 0;
  double spearman = 0;  // NaN when rows < kMinRankRows
  std::vector<RatioCheck> ratios;
  int rows_fit = 0, rows_held = 0;  // rows the shipped stack was fitted on; the others (held-out, predictions)
  double mape_fit = 0, mape_held = 0;
  std::vector<FamilySummary> families;  // in the rows' order
  // The summary's name in reports: the accelerator, or "v100-modern transformers" for a group.
  std::string label() const { return group.empty() ? accelerator : accelerator + " " + group; }
};

struct ValidationReport {
  std::vector<RowResult> rows;
  std::vector<AccelSummary> accelerators;
  // Per accelerator, every row of the corpus (all groups together): the whole-corpus MAPE and Spearman.
  std::vector<AccelSummary> corpus;
};

// The rows that publish an intensity, and how many of them are simulated within kIntensityTolerance of it.
struct IntensityCount {
  int rows = 0, within = 0;
};
IntensityCount count_intensity(const std::vector<RowResult>& rows, const std::string& accelerator);

// `accelerators`: which to validate (empty: every accelerator with measurements). `overrides`: per accelerator
// name, `key=value` settings applied before simulating (used by calibration). A key an accelerator lacks: UsageError
// saying a family's key needs --accel; a row that cannot be simulated: SimulationError naming the row and the reason.
ValidationReport validate(const std::vector<std::string>& accelerators,
                          const std::map<std::string, std::vector<std::string>>& overrides = {});

// The statistics of one accelerator's rows of one group (Spearman NaN below kMinRankRows rows).
AccelSummary summarize(const std::string& accelerator, const std::string& group, const std::vector<RowResult>& rows);

// Ratio checks over any set of rows of one accelerator (those whose models are present).
std::vector<RatioCheck> ratio_checks(const std::vector<RowResult>& rows);

}  // namespace rp::validation
