#include "experiments/kinds/hurricane/fitness_cache.h"

#include <nlohmann/json.hpp>

namespace rp::hurricane {

std::string arch_text(const Arch& a) {
  std::string s;
  for (size_t i = 0; i < a.size(); ++i) s += (i ? "," : "") + std::to_string(a[i]);
  return s;
}

FitnessCache::FitnessCache(std::string path, const std::string& canonical) : journal_(std::move(path), canonical) {
  for (const std::string& line : journal_.records()) {
    try {
      const auto j = nlohmann::json::parse(line);
      known_[{j.at("stage").get<int>(), j.at("arch").get<std::string>()}] = j.at("fitness").get<double>();
    } catch (const std::exception&) {
      // A line cut short by a kill: that candidate is scored again.
    }
  }
}

const double* FitnessCache::find(int stage, const Arch& a) const {
  const auto it = known_.find({stage, arch_text(a)});
  return it == known_.end() ? nullptr : &it->second;
}

void FitnessCache::record(int stage, const Arch& a, double fitness) {
  const auto key = std::make_pair(stage, arch_text(a));
  if (known_.count(key)) return;
  journal_.append(nlohmann::json{{"stage", stage}, {"arch", key.second}, {"fitness", fitness}}.dump());
  known_[key] = fitness;
}

}  // namespace rp::hurricane
