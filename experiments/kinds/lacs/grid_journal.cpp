#include "experiments/kinds/lacs/grid_journal.h"


#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>


namespace rp::lacs {
namespace {

nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
double num(const nlohmann::json& j) {
  return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>();
}

}  // namespace

std::string point_json(int64_t index, const PointResult& p) {
  const nlohmann::json j = {{"i", index},
                            {"alpha", p.t.alpha},
                            {"beta", p.t.beta},
                            {"gamma", p.t.gamma},
                            {"stage", p.stage},
                            {"feasible", p.feasible},
                            {"status", p.status},
                            {"accuracy", num(p.accuracy)},
                            {"latency_ms", num(p.latency_ms)},
                            {"reward", num(p.reward)},
                            {"resolution", p.resolution},
                            {"layers", p.layers},
                            {"params", p.params},
                            {"macs", p.macs}};
  return j.dump();
}

PointResult point_from_json(const std::string& line, int64_t* index) {
  const auto j = nlohmann::json::parse(line);
  PointResult p;
  if (index) *index = j.at("i").get<int64_t>();
  p.t = {j.at("alpha").get<double>(), j.at("beta").get<double>(), j.at("gamma").get<double>()};
  p.stage = j.at("stage").get<int>();
  p.feasible = j.at("feasible").get<bool>();
  p.status = j.at("status").get<std::string>();
  p.accuracy = num(j.at("accuracy"));
  p.latency_ms = num(j.at("latency_ms"));
  p.reward = num(j.at("reward"));
  p.resolution = j.at("resolution").get<int>();
  p.layers = j.at("layers").get<int>();
  p.params = j.at("params").get<int64_t>();
  p.macs = j.at("macs").get<int64_t>();
  return p;
}

GridJournal::GridJournal(std::string path, const std::string& canonical) : journal_(std::move(path), canonical) {}

std::map<int64_t, PointResult> GridJournal::read() const {
  std::map<int64_t, PointResult> out;
  for (const std::string& line : journal_.records()) {
    try {
      int64_t i = 0;
      PointResult p = point_from_json(line, &i);
      out[i] = p;
    } catch (const std::exception&) {
      // A line cut short by a kill: that point is evaluated again.
    }
  }
  return out;
}

void GridJournal::append(int64_t index, const PointResult& p) const { journal_.append(point_json(index, p)); }

}  // namespace rp::lacs
