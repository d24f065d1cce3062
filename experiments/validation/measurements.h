#pragma once
// A user's own measurements for `ridgepoint calibrate --measurements FILE.csv` (format: docs/validation.md,
// "Calibrating against your own measurements"): a CSV with a header naming its columns, any order,
//   model       a zoo name or a network YAML file (a relative path: to the CSV's directory)
//   batch       images per measured batch, an integer in [1, 1000000]
//   latency_ms  measured latency of one batch in milliseconds, > 0
//   name        optional: the row's label in reports (default: the model)
//   intensity   optional: measured operational intensity, FLOP (2 per MAC) per HBM byte, > 0; an empty field: none
//               for this row. Rows that give one are fitted on latency and intensity together (calibrate.h)
// Lines starting with '#' and blank lines are skipped. Every bad row is a UsageError "FILE:LINE: column 'C': ...".
#include <string>
#include <vector>

#include "experiments/validation/dataset.h"

namespace rp::validation {

// The rows of `csv_file`, each a Measurement of `accelerator` (source "user", paper_row = its line, paper_model =
// its name) with every model checked to build at its batch. Throws UsageError naming the file and line.
std::vector<Measurement> read_measurements(const std::string& csv_file, const std::string& accelerator);

// The columns read_measurements knows, in the documented order: the first kRequiredColumns (model, batch,
// latency_ms) required, the rest optional.
const std::vector<std::string>& measurement_columns();
constexpr size_t kRequiredColumns = 3;

// The header as the docs and errors write it: "model,batch,latency_ms[,name][,intensity]".
std::string measurement_columns_synopsis();

}  // namespace rp::validation
