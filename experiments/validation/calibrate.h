#pragma once
// Calibration: fits the few named parameters listed in calibration.yaml for one accelerator to that
// accelerator's published measurements, by minimising the mean |ln(simulated / measured)| (symmetric in over- and
// under-estimation) plus the same mean over the paper's ratio checks among those rows (X-B0 / B0 speedup,
// B7 / B0 growth, Table 4 steps; see validate.h), with coordinate descent: a golden-section search per parameter within its bounds, repeated
// for a few sweeps, starting from the config's current values. Leave-one-out: for each row, fit without it and
// predict it, so the reported error measures generalisation rather than memorisation. Leave-one-family-out: fit on
// the EfficientNet-B rows only and predict the others (X-B0, the Table 4 rows, ResNet-50): how far the fitted
// stack carries to networks of another shape. Only the `stack:` keys listed in calibration.yaml are fitted.
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "experiments/validation/dataset.h"

namespace rp::validation {

struct FitResult {
  std::vector<std::pair<std::string, double>> values;  // fitted key -> value
  double objective = 0;                                // mean |ln(sim / meas)| on all rows
  double mape = 0;
  std::vector<std::pair<std::string, double>> loo;  // paper model -> signed error when held out
  double loo_mape = 0;
  std::vector<std::pair<std::string, double>> lofo;  // row -> signed error when the fit saw only EfficientNet-B rows
  double lofo_mape = 0;
};

struct FitOptions {
  bool leave_one_out = false;     // for each row: fit without it, predict it
  bool leave_family_out = false;  // fit on the EfficientNet-B rows only; predict every other row
};

// Rows with `fit` false (predictions) are never used. A row's batch is its measured batch.
FitResult calibrate(const std::string& accelerator, const std::vector<FitParam>& params, const FitOptions& options,
                    std::ostream& log);
// Whether a measurement is of an EfficientNet-B0..B7 network (the family leave-family-out fits on).
bool in_efficientnet_b_family(const Measurement& m);

// Rewrites the values of `values` (dotted keys) in an accelerator YAML file, keeping the layout and replacing each
// line's comment with `note`. Throws UsageError if a key is not found.
void write_fitted(const std::string& yaml_file, const std::vector<std::pair<std::string, double>>& values,
                  const std::string& note);

}  // namespace rp::validation
