#pragma once
// Calibration: fits the few named parameters listed in calibration.yaml for one accelerator to that
// accelerator's published measurements, by minimising the mean |ln(simulated / measured)| (symmetric in over- and
// under-estimation) plus the same mean over the paper's ratio checks among those rows (X-B0 / B0 speedup,
// B7 / B0 growth, Table 4 steps; see validate.h) plus the same mean over the operational intensity (W / Q) of the
// rows that give one (Li et al.'s I; a user's `intensity` column): latency and intensity are fitted together, so a
// value that moves bytes answers to the bytes measured (the shipped keys move time only, so there the intensity term
// is a constant and the fit is the latency fit). Coordinate descent: a golden-section search per parameter within
// its bounds, repeated for a few sweeps, starting from the config's current values; it assumes one minimum inside
// the bounds (on a flat stretch it keeps the start: docs/validation.md, "Operational intensity"). Leave-one-out:
// for each row, fit without it and predict it, so the reported error measures generalisation rather than
// memorisation. Leave-one-family-out: for
// each network family (corpus.csv's family column: depthwise, vanilla, grouped, transformer; a user's rows:
// efficientnet-b or other), fit on the measured rows of the other families and predict that family's rows: how far
// the fitted stack carries to networks of another shape. Only the `stack:` keys listed in calibration.yaml are
// fitted. The shipped fit and leave-one-out use the rows marked fit only; leave-one-family-out fits on fit and
// held-out rows of the other families (never on prediction rows) and predicts every row of the held-out family.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "experiments/validation/dataset.h"

namespace rp::validation {

// One held-out family of leave-one-family-out.
struct FamilyOut {
  std::string family;
  int rows = 0;         // rows of the family predicted
  double mape = 0;      // over those rows
  std::string skipped;  // non-empty: why no fit was made (the other families have too few rows)
  std::vector<std::pair<std::string, double>> values;  // the fit without the family: key -> value (empty if skipped)
};

struct FitResult {
  std::vector<std::pair<std::string, double>> values;  // fitted key -> value
  double objective = 0;                                // the objective (above) on the fit rows
  double mape = 0;
  int intensity_rows = 0;     // fit rows that give an operational intensity (Measurement::paper_intensity)
  double intensity_mape = 0;  // the simulated intensity's MAPE over them (0 when there are none)
  std::vector<std::pair<std::string, double>> loo;  // paper model -> signed error when held out
  double loo_mape = 0;
  std::vector<std::pair<std::string, double>> lofo;  // row -> signed error when its family was held out
  double lofo_mape = 0;                              // over every predicted row
  std::vector<FamilyOut> lofo_families;              // per family, in the rows' order
};

// How far a calibration is: `done` of `total` simulations of the row set (one per objective evaluation), in fit
// `fit` of `fits` (the full fit, then one per left-out row, then the family-out fit).
struct FitProgress {
  int64_t done = 0, total = 0;
  int fit = 0, fits = 0;
};

struct FitOptions {
  bool leave_one_out = false;     // for each row: fit without it, predict it
  bool leave_family_out = false;  // per family: fit on the other families' measured rows, predict it
  // Coordinate-descent sweeps per fit: 2 fitted the shipped configs on the published rows; parameters that interact
  // need more to reach the optimum (a fit of two TPU stack keys to exact synthetic rows: 5.5% off after 2, 0.1% after
  // 6), so `calibrate --measurements` uses 6. Each sweep costs the same time.
  int sweeps = 2;
  std::function<void(const FitProgress&)> progress;  // called after every objective evaluation, if set
};

// Rows with `fit` false (held-out, predictions) are never fitted on by the full fit or leave-one-out. A row's batch is
// its measured batch.
// `set` (key=value) is applied to the accelerator before fitting (`validate --set`: a stack switch's effect on the
// leave-one-family-out figures).
FitResult calibrate(const std::string& accelerator, const std::vector<FitParam>& params, const FitOptions& options,
                    std::ostream& log, const std::vector<std::string>& set = {});

// The same fit over a user's rows (measurements.h) of `accelerator` (a built-in name, NAME-PROFILE or a YAML file)
// with `set` (key=value) applied first. The objective is the mean |ln(sim / meas)| over the rows only (the paper's
// ratio checks apply to its own rows). UsageError: fewer rows than params + 2, a key that is not a number.
FitResult calibrate_rows(const std::string& accelerator, const std::vector<std::string>& set,
                         const std::vector<Measurement>& rows, const std::vector<FitParam>& params,
                         const FitOptions& options, std::ostream& log);

// The parameters `calibrate` fits by default on `accelerator`: calibration.yaml's list for its name; for any other
// accelerator (a YAML file), the list of the built-in of the same family whose keys it has, with `stack.profiles.P.`
// keys of the accelerator's active profile P. Empty if none applies.
std::vector<FitParam> default_fit_params(const std::string& accelerator, const std::vector<std::string>& set);

// A --fit option: "KEY=LO:HI" (a `stack:` key of `accelerator`, shorthands accepted, LO < HI). UsageError naming it.
FitParam parse_fit_param(const std::string& text, const std::string& accelerator, const std::vector<std::string>& set);
// Leave-one-family-out's row sets when `family` is held out: first, the rows the fit uses (measured rows of the other
// families: use fit or held-out, never predict); second, the rows it predicts (every row of `family`).
std::pair<std::vector<bool>, std::vector<bool>> lofo_masks(const std::vector<Measurement>& rows,
                                                           const std::string& family);

// Whether a measurement is of an EfficientNet-B0..B7 network (a user row's family for leave-one-family-out).
bool in_efficientnet_b_family(const Measurement& m);

// Checks, before a fit, that `yaml_file` can be read and holds a scalar line for every one of `keys` (dotted), as
// write_fitted needs: UsageError naming the file and the first key not found, or that it cannot be opened.
void check_fitted_keys(const std::string& yaml_file, const std::vector<std::string>& keys);

// Rewrites the values of `values` (dotted keys) in an accelerator YAML file, keeping the layout and replacing each
// line's comment with `note`; the file is replaced whole (traces::OutputFile) or not at all. Throws UsageError if a
// key is not found (nothing written), SimulationError naming the file if it cannot be written.
void write_fitted(const std::string& yaml_file, const std::vector<std::pair<std::string, double>>& values,
                  const std::string& note);

}  // namespace rp::validation
