#pragma once
// The validation corpus (experiments/validation/corpus.csv, its network files under networks/, embedded at build
// time) and the calibration parameter bounds (calibration.yaml).
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "traces/network/network.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/zoo.h"

namespace rp::validation {

struct Measurement {
  std::string source;       // short key of the document ("li2021-table3", "dle-pyt-resnext101", ...)
  int paper_row = 0;        // Li et al.: the row's position in its table's body; a user CSV: its line
  std::string paper_model;  // the row's label (Li et al.: the paper's model name, which the ratio checks match)
  std::string accelerator;  // built-in accelerator name
  std::string model;        // zoo name or corpus network file ("networks/NAME.yaml") simulated for it
  double measured_ms = 0;   // latency of one batch: as published, or batch / throughput x 1000
  // Li et al.'s I (ops/byte) and E; a user row's measured intensity (its `intensity` column); 0 where none.
  double paper_intensity = 0, paper_efficiency = 0;
  int64_t batch = 128;  // images per measured batch (the paper rows: the working assumption, 128 per device)
  bool fit = true;      // use = fit: the shipped stack values were fitted on it; false: held-out or prediction
  int64_t seq_len = 0;  // tokens per sequence (0: the model's own; transformer rows)
  // Rows of a group other than "" are summarized apart from the accelerator's own rows (the transformer rows:
  // "transformers"), so they never move its figures.
  std::string group{};
  std::string family{};     // depthwise, vanilla, grouped, transformer (user rows: efficientnet-b or other)
  std::string use{"fit"};   // fit, held-out or predict (corpus.csv's use column)
  std::string citation{};   // document and table
  std::string precision{};  // as published
  std::string dtype{};      // the precision simulated when it is not the accelerator's own (fp32 rows); "": its own
  std::string stack{};      // software stack as published
  std::vector<std::string> stack_set{};  // the stack switches the row's software ran with, key=value (corpus.csv)
  double published = 0;                  // the figure as published, in `unit`
  std::string unit{};                    // ms or s (a latency of one batch), img/s or sent/s (a throughput)
  int64_t devices = 1;                   // accelerators a published throughput spans (an MLPerf system); a latency: 1
};

struct FitParam {
  std::string key;  // dotted accelerator key
  double lo = 0, hi = 0;
};

// Every row of corpus.csv, in its order. SimulationError naming the line for a malformed row.
const std::vector<Measurement>& published_measurements();
// A corpus line parsed (exposed for tests): `fields` in corpus.csv's column order; SimulationError naming `where`
// for a wrong field count, an unknown unit, use, family or dtype, a figure that is not a positive number, or a
// device count that is not a whole number (or not 1 for a latency).
Measurement parse_corpus_row(const std::vector<std::string>& fields, const std::string& where);
// The network of a row at `options`: a corpus network file from the embedded copies, else the zoo name or file.
traces::Network build_row_model(const Measurement& m, const traces::BuildOptions& options);
// The same for many rows, each corpus network file parsed once: every row of a network parsed its YAML again
// before (`validate --accel v100-modern`, 117 rows: 3.0 s of CPU then, 1.6 s with the parse shared). One per
// validate or calibrate call; not for several threads at once.
class RowNetworks {
 public:
  traces::Network build(const Measurement& m, const traces::BuildOptions& options);

 private:
  std::map<std::string, traces::YamlMap> parsed_;  // corpus network name -> its parsed embedded copy
};
// The keys a row sets on its accelerator before it is simulated: its stack_set, then "precision=DTYPE" for a row
// with a dtype. They come before a command's --set, which applies to every row after them. Its network is built
// in the accelerator's precision after them.
std::vector<std::string> row_settings(const Measurement& m);
// The accelerators calibration.yaml lists, in its order.
std::vector<std::string> calibration_accelerators();
// The parameters to fit for `accelerator`, from calibration.yaml (empty if none are listed).
std::vector<FitParam> fit_params(const std::string& accelerator);

}  // namespace rp::validation
