#pragma once
// Calibration: fits the few named parameters listed in calibration.yaml for one accelerator to that
// accelerator's published measurements, by minimising the mean |ln(simulated / measured)| (symmetric in over- and
// under-estimation) plus the same mean over the paper's ratio checks among those rows (X-B0 / B0 speedup,
// B7 / B0 growth, Table 4 steps; see validate.h), with coordinate descent: a golden-section search per parameter within its bounds, repeated
// for a few sweeps, starting from the config's current values. Leave-one-out: for each row, fit without it and
// predict it, so the reported error measures generalisation rather than memorisation.
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "experiments/validation/dataset.h"

namespace rp::validation {

struct FitResult {
  std::vector<std::pair<std::string, double>> values;  // fitted key -> value
  double objective = 0;                                 // mean |ln(sim / meas)| on all rows
  double mape = 0;
  std::vector<std::pair<std::string, double>> loo;      // paper model -> signed error when held out
  double loo_mape = 0;
};

FitResult calibrate(const std::string& accelerator, const std::vector<FitParam>& params, bool leave_one_out,
                    std::ostream& log);

// Rewrites the values of `values` (dotted keys) in an accelerator YAML file, keeping the layout and replacing each
// line's comment with `note`. Throws UsageError if a key is not found.
void write_fitted(const std::string& yaml_file, const std::vector<std::pair<std::string, double>>& values,
                  const std::string& note);

}  // namespace rp::validation
