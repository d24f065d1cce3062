#pragma once
// The tables of `kind: codesign` (docs/codesign.md): /points, a row per evaluated hardware point x network, and
// /pareto, the rows of the non-dominated feasible points over the objectives, per network and across the networks.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "simulator/record.h"

namespace rp::kinds {

// A row of /points and a line of the journal: point (the hardware point's index in the space, last key fastest),
// network, one column per hardware key (float64 when every value is a number, else a string), feasible, reason
// (empty when feasible), the sweep fields of the result schema (simulator/result_schema.h, in_sweeps): NaN where
// the point is infeasible, but area_mm2, the config's first-order area, wherever the config could be built; then
// accuracy, accuracy_source, extrapolated (table columns only).
struct CodesignRow {
  int64_t point = 0;
  int64_t network_index = 0;  // into the settings' networks (journal only)
  std::string network;
  std::vector<std::pair<std::string, std::string>> values;  // hardware key -> value as in /points
  bool feasible = false;
  std::string reason;
  std::vector<double> figures;  // sweep fields, in schema order
  // Not journaled (the run's process rates each network once and fills them in): the network's top-1 in percent
  // (NaN without a source or when it failed: the row is then infeasible with the reason), where it came from
  // ("none" for zoo networks and network files), whether it is the surrogate's extrapolation.
  double accuracy = 0;
  std::string accuracy_source = "none";
  bool extrapolated = false;
  std::string front;  // /pareto only: the network whose front the row is on, or "all"
};
void point_columns(Columns& c, CodesignRow& r);
void pareto_columns(Columns& c, CodesignRow& r);  // front, then the point columns

// The result-schema fields a row holds (in_sweeps), in order, and the position of `name` among them (-1: none).
std::vector<std::string> codesign_fields();
int field_position(const std::string& name);

// The /pareto rows of `rows` (sorted by point, then network) over `objectives` (field names, or `accuracy`, which is
// maximized): for each network the non-dominated feasible rows (front = the network), then, when there are several
// networks, across them: a hardware point feasible for every network, its objectives summed over the networks (one
// inference of each), every network's row of each non-dominated point (front = "all"); then, when accuracy is an
// objective, every feasible row of any network on any hardware point that no other such row dominates (front =
// "joint": the network-and-hardware pairs worth building).
std::vector<CodesignRow> pareto_rows(const std::vector<CodesignRow>& rows, const std::vector<std::string>& networks,
                                     const std::vector<std::string>& objectives);

}  // namespace rp::kinds
