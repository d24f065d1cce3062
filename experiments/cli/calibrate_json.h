#pragma once
// `ridgepoint calibrate` as a request and its outcome, shared by the command (cmd_calibrate.cpp) and Python's
// rp.calibrate (python/src/calibrate_py.cpp), so both fit the same way and give the same JSON.
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/validation/calibrate.h"

namespace rp::cli {

struct CalibrateRequest {
  std::string accel;                        // --accel
  std::optional<std::string> measurements;  // --measurements FILE.csv; absent: the published rows of `accel`
  std::vector<std::string> fit;             // --fit KEY=LO:HI; empty: the default parameters
  std::vector<std::string> set;             // --set key=value, applied before fitting (any rows)
  bool loo = false, lofo = false;
  std::optional<int> sweeps;  // absent: 6 with measurements, 2 on the published rows
  // --write FILE: checked before the fit to hold every fitted key (the caller writes it after); absent: no check.
  std::optional<std::string> write;
};

struct CalibrateOutcome {
  std::string accel, data;       // data: the measurements file, or the published CSV's name
  std::vector<std::string> set;  // the request's --set
  size_t rows = 0;
  validation::FitResult fit;
};

// Checks the request (UsageError naming the option: bounds, a bad --set or --fit key, every bad CSV row, a --write
// file lacking a fitted key) before any fit, then fits; `log` gets the per-fit lines, `progress` (if set) every
// evaluation.
CalibrateOutcome run_calibration(const CalibrateRequest& request, std::ostream& log,
                                 const std::function<void(const validation::FitProgress&)>& progress);

// The --json object: accelerator, measurements, rows, values {key: value}, objective, mape, and with --loo /
// --lofo leave_one_out {mape, rows: [{row, error}]} / leave_family_out (below).
nlohmann::json calibrate_json(const CalibrateOutcome& outcome);

// A fit's leave-one-family-out as JSON, for `calibrate --lofo --json` and `validate --lofo --json`: {mape, rows:
// [{row, error}], families: {F: {rows, mape, skipped, values {key: value}}}} (mape and values null where skipped).
nlohmann::json family_out_json(const validation::FitResult& fit);

}  // namespace rp::cli
