#pragma once
// Writes an experiment's results as HDF5: `/points`, a compound table with one row per (point, model) in point
// order: point, accelerator, model, one column per swept parameter (float64 when every value is a number or a
// boolean, else a string), status, latency_ms, throughput (images/s), W flops, Q hbm_bytes, I intensity,
// E efficiency, and busy_<unit> (fraction, NaN where a unit kind does not exist). `/meta` attributes: the
// experiment file's text, its canonical form and the tool version. Strings are variable-length UTF-8 (h5py reads
// them as str; pandas.DataFrame(f["points"][:]) gives the table). Written to PATH.tmp and renamed when complete.
#include <map>
#include <string>

#include "experiments/kinds/sweep/experiment.h"
#include "experiments/kinds/sweep/journal.h"

namespace rp::run {

void write_points_h5(const std::string& path, const Experiment& e, const std::map<int64_t, Row>& rows,
                     const std::string& version);

}  // namespace rp::run
