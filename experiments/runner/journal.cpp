#include "experiments/runner/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "simulator/error.h"

namespace rp::run {
namespace {

void write_line(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) throw SimulationError("cannot write progress journal " + path + ": " + std::strerror(errno));
  const std::string text = line + "\n";
  const ssize_t n = ::write(fd, text.data(), text.size());
  const bool ok = n == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw SimulationError("cannot write progress journal " + path + ": " + std::strerror(errno));
}

}  // namespace

Journal::Journal(std::string path, const std::string& canonical) : path_(std::move(path)) {
  std::ifstream in(path_);
  std::string first;
  if (in && std::getline(in, first)) {
    std::string got;
    try {
      got = nlohmann::json::parse(first).at("experiment").get<std::string>();
    } catch (const std::exception&) {
      throw UsageError(path_ + ": not a ridgepoint progress journal (remove it or run with --fresh)");
    }
    if (got != canonical) {
      throw UsageError(path_ + ": progress of a different experiment (the YAML changed); remove it or run with --fresh");
    }
    return;
  }
  try {
    write_line(path_, nlohmann::json{{"experiment", canonical}}.dump());
  } catch (const SimulationError& e) {
    // Creating the journal is the first write next to the output: a path that cannot be written is bad input.
    throw UsageError(std::string(e.what()) + " (check the experiment's 'output' path)");
  }
}

std::map<int64_t, Row> Journal::read() const {
  std::map<int64_t, Row> rows;
  std::ifstream in(path_);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    try {
      const auto j = nlohmann::json::parse(line);
      Row r;
      r.point = j.at("point").get<int64_t>();
      r.accelerator = j.at("accelerator").get<std::string>();
      r.model = j.at("model").get<std::string>();
      r.values = j.at("values").get<std::vector<std::string>>();
      r.status = j.at("status").get<std::string>();
      r.latency_ms = j.at("latency_ms").get<double>();
      r.throughput = j.at("throughput").get<double>();
      r.flops = j.at("flops").get<double>();
      r.hbm_bytes = j.at("hbm_bytes").get<double>();
      r.intensity = j.at("intensity").get<double>();
      r.efficiency = j.at("efficiency").get<double>();
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
  const nlohmann::json j = {{"point", r.point},       {"accelerator", r.accelerator}, {"model", r.model},
                            {"values", r.values},     {"status", r.status},           {"latency_ms", r.latency_ms},
                            {"throughput", r.throughput}, {"flops", r.flops},         {"hbm_bytes", r.hbm_bytes},
                            {"intensity", r.intensity}, {"efficiency", r.efficiency}, {"busy", busy}};
  write_line(path_, j.dump());
}

}  // namespace rp::run
