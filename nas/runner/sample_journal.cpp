#include "nas/runner/sample_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "simulator/error.h"

namespace rp::nas {
namespace {

void write_line(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0) {
    throw UsageError("cannot write search journal " + path + ": " + std::strerror(errno) +
                     " (check the experiment's 'output' path)");
  }
  const std::string text = line + "\n";
  const ssize_t n = ::write(fd, text.data(), text.size());
  ::fsync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size())) throw SimulationError("short write to " + path);
}

}  // namespace

SampleJournal::SampleJournal(std::string path, const std::string& canonical) : path_(std::move(path)) {
  std::ifstream in(path_);
  std::string first;
  if (in && std::getline(in, first) && !first.empty()) {
    std::string recorded;
    try {
      recorded = nlohmann::json::parse(first).at("experiment").get<std::string>();
    } catch (const std::exception&) {
      throw UsageError(path_ + ": not a search journal (delete it or run with --fresh)");
    }
    if (recorded != canonical) {
      throw UsageError(path_ + " belongs to a different experiment (the YAML changed); run with --fresh to start over");
    }
    return;
  }
  write_line(path_, nlohmann::json{{"experiment", canonical}}.dump());
}

std::map<int64_t, Sample> SampleJournal::read() const {
  std::map<int64_t, Sample> out;
  std::ifstream in(path_);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
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
  write_line(path_, j.dump());
}

}  // namespace rp::nas
