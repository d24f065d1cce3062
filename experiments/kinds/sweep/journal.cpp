#include "experiments/kinds/sweep/journal.h"

#include <nlohmann/json.hpp>

#include "simulator/result_schema.h"

namespace rp::run {

Journal::Journal(std::string path, const std::string& canonical) : journal_(std::move(path), canonical) {}

std::vector<std::string> sweep_fields() {
  std::vector<std::string> names;
  for (const auto& f : sim::result_fields()) {
    if (f.in_sweeps) names.emplace_back(f.name);
  }
  return names;
}

std::map<int64_t, Row> Journal::read() const {
  std::map<int64_t, Row> rows;
  for (const std::string& line : journal_.records()) {
    try {
      const auto j = nlohmann::json::parse(line);
      Row r;
      r.point = j.at("point").get<int64_t>();
      r.accelerator = j.at("accelerator").get<std::string>();
      r.model = j.at("model").get<std::string>();
      r.values = j.at("values").get<std::vector<std::string>>();
      r.status = j.at("status").get<std::string>();
      for (const auto& f : sweep_fields()) r.figures.push_back(j.at(f).get<double>());
      for (const auto& [k, v] : j.at("busy").items()) r.busy.emplace_back(k, v.get<double>());
      rows[r.point] = std::move(r);
    } catch (const std::exception&) {
      // a line cut short by an interruption: that point is simply not done
    }
  }
  return rows;
}

void Journal::append(const Row& r) const {
  nlohmann::json busy = nlohmann::json::object();
  for (const auto& [k, v] : r.busy) busy[k] = v;
  nlohmann::json j = {{"point", r.point},   {"accelerator", r.accelerator}, {"model", r.model},
                      {"values", r.values}, {"status", r.status},           {"busy", busy}};
  const auto names = sweep_fields();
  for (size_t i = 0; i < names.size(); ++i) j[names[i]] = i < r.figures.size() ? r.figures[i] : 0.0;
  journal_.append(j.dump());
}

}  // namespace rp::run
