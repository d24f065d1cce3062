#include "experiments/kinds/codesign/codesign_output.h"

#include <algorithm>
#include <map>
#include <set>

#include "experiments/kinds/codesign/codesign_search.h"
#include "simulator/result_schema.h"

namespace rp::kinds {

std::vector<std::string> codesign_fields() {
  std::vector<std::string> out;
  for (const auto& f : sim::result_fields()) {
    if (f.in_sweeps) out.push_back(f.name);
  }
  return out;
}

int field_position(const std::string& name) {
  const std::vector<std::string> fields = codesign_fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i] == name) return static_cast<int>(i);
  }
  return -1;
}

void point_columns(Columns& c, CodesignRow& r) {
  c.column("point", r.point);
  c.column("network_index", r.network_index, Columns::kJournal);
  c.column("network", r.network);
  for (auto& [key, value] : r.values) c.text_or_number(key, value);
  c.column("feasible", r.feasible);
  c.column("reason", r.reason);
  const std::vector<std::string> fields = codesign_fields();
  for (size_t k = 0; k < fields.size(); ++k) c.column(fields[k], r.figures[k]);
  c.column("accuracy", r.accuracy, Columns::kTable);
  c.column("accuracy_source", r.accuracy_source, Columns::kTable);
  c.column("extrapolated", r.extrapolated, Columns::kTable);
}

void pareto_columns(Columns& c, CodesignRow& r) {
  c.column("front", r.front);
  point_columns(c, r);
}

namespace {

constexpr int kAccuracy = -1;  // the position standing for the accuracy objective (not a result field)

// The objectives to minimize: each field at its position, accuracy negated (maximized).
std::vector<double> objectives_of(const CodesignRow& r, const std::vector<int>& at) {
  std::vector<double> o;
  for (int k : at) o.push_back(k == kAccuracy ? -r.accuracy : r.figures[static_cast<size_t>(k)]);
  return o;
}

// The joint front: every feasible row, whatever its network and hardware point, that no other dominates.
void append_joint(const std::vector<CodesignRow>& rows, const std::vector<int>& at, std::vector<CodesignRow>& out) {
  std::vector<const CodesignRow*> members;
  std::vector<std::vector<double>> points;
  for (const CodesignRow& r : rows) {
    if (!r.feasible) continue;
    members.push_back(&r);
    points.push_back(objectives_of(r, at));
  }
  for (size_t i : codesign::pareto_front(points)) {
    out.push_back(*members[i]);
    out.back().front = "joint";
  }
}

}  // namespace

std::vector<CodesignRow> pareto_rows(const std::vector<CodesignRow>& rows, const std::vector<std::string>& networks,
                                     const std::vector<std::string>& objectives) {
  std::vector<int> at;
  for (const auto& o : objectives) at.push_back(o == "accuracy" ? kAccuracy : field_position(o));
  const bool joint = std::find(objectives.begin(), objectives.end(), "accuracy") != objectives.end();
  std::vector<CodesignRow> out;
  for (const std::string& net : networks) {
    std::vector<const CodesignRow*> members;
    std::vector<std::vector<double>> points;
    for (const CodesignRow& r : rows) {
      if (r.network != net || !r.feasible) continue;
      members.push_back(&r);
      points.push_back(objectives_of(r, at));
    }
    for (size_t i : codesign::pareto_front(points)) {
      out.push_back(*members[i]);
      out.back().front = net;
    }
  }
  if (networks.size() < 2) {
    if (joint) append_joint(rows, at, out);
    return out;
  }
  // Across the networks: per hardware point, the sums over its rows, kept when every network's row is feasible.
  // A network with no feasible row on any point (a family member without an accuracy, a network no point can run)
  // says nothing about which point is better: it is left out of the sums.
  std::set<std::string> runnable;
  for (const CodesignRow& r : rows) {
    if (r.feasible) runnable.insert(r.network);
  }
  std::map<int64_t, std::vector<const CodesignRow*>> by_point;
  for (const CodesignRow& r : rows) {
    if (runnable.count(r.network)) by_point[r.point].push_back(&r);
  }
  std::vector<int64_t> ids;
  std::vector<std::vector<double>> sums;
  for (const auto& [point, members] : by_point) {
    bool feasible = !runnable.empty() && members.size() == runnable.size();
    std::vector<double> sum(at.size(), 0.0);
    for (const CodesignRow* r : members) {
      feasible = feasible && r->feasible;
      const std::vector<double> o = objectives_of(*r, at);
      for (size_t k = 0; k < sum.size(); ++k) sum[k] += o[k];
    }
    if (!feasible) continue;
    ids.push_back(point);
    sums.push_back(sum);
  }
  for (size_t i : codesign::pareto_front(sums)) {
    for (const CodesignRow* r : by_point[ids[i]]) {
      out.push_back(*r);
      out.back().front = "all";
    }
  }
  if (joint) append_joint(rows, at, out);
  return out;
}

}  // namespace rp::kinds
