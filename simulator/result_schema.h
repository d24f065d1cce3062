#pragma once
// The schema of a simulation result (sim_result.h): every figure's name, unit and description, declared once.
// Every output renders from it: the terminal table and --json of `simulate`, `compare`, the HDF5 trace (/meta,
// /unit_summary) and the sweep table /points, so a figure has one name everywhere and a unit shows the counters
// it registered (a GPU its SMs, tensor cores, CUDA cores, L2 and HBM; a TPU its matrix and vector units).
#include <functional>
#include <string>
#include <vector>

#include "simulator/sim_result.h"

namespace rp::sim {

template <class T>
struct Field {
  const char* name;
  const char* unit;  // "ms", "FLOP", "B", "FLOP/s", "B/s", "FLOP/B", "images/s", "" (ratio, count)
  const char* description;
  double (*get)(const T&);
  bool in_sweeps = false;  // a column of a sweep's /points table
};

const std::vector<Field<SimResult>>& result_fields();    // network-level figures, in report order
const std::vector<Field<UnitSummary>>& unit_fields();    // per unit kind (and datapath)
const std::vector<Field<LayerSummary>>& layer_fields();  // per fusion group (numeric columns)

// Depth first: every result field, then "units.<name>.<field>" for every unit field and registered counter.
using ResultVisitor =
    std::function<void(const std::string& path, double value, const std::string& unit, const std::string& description)>;
void visit_result(const SimResult& r, const ResultVisitor& fn);

}  // namespace rp::sim
