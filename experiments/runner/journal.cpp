#include "experiments/runner/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "simulator/error.h"
#include "simulator/result_schema.h"

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

std::vector<std::string> sweep_fields() {
  std::vector<std::string> names;
  for (const auto& f : sim::result_fields()) {
    if (f.in_sweeps) names.emplace_back(f.name);
  }
  return names;
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
  write_line(path_, j.dump());
}

}  // namespace rp::run
