#include "experiments/kinds/nas/sample_journal.h"


#include <nlohmann/json.hpp>


namespace rp::nas {

SampleJournal::SampleJournal(std::string path, const std::string& canonical) : journal_(std::move(path), canonical) {}

std::map<int64_t, Sample> SampleJournal::read() const {
  std::map<int64_t, Sample> out;
  for (const std::string& line : journal_.records()) {
    try {
      const auto j = nlohmann::json::parse(line);
      Sample s;
      s.step = j.at("step").get<int64_t>();
      s.arch = j.at("arch").get<std::string>();
      s.feasible = j.at("feasible").get<bool>();
      s.reason = j.at("reason").get<std::string>();
      s.latency_ms = j.at("latency_ms").get<double>();
      s.accuracy = j.at("accuracy").get<double>();
      s.reward = j.at("reward").get<double>();
      s.macs = j.at("macs").get<int64_t>();
      s.params = j.at("params").get<int64_t>();
      out[s.step] = s;
    } catch (const std::exception&) {
      // A line cut short by a kill: that sample is computed again.
    }
  }
  return out;
}

void SampleJournal::append(const Sample& s) const {
  const nlohmann::json j = {{"step", s.step},         {"arch", s.arch},       {"feasible", s.feasible},
                            {"reason", s.reason},     {"latency_ms", s.latency_ms}, {"accuracy", s.accuracy},
                            {"reward", s.reward},     {"macs", s.macs},       {"params", s.params}};
  journal_.append(j.dump());
}

}  // namespace rp::nas
