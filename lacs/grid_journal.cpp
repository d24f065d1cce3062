#include "lacs/grid_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "simulator/error.h"

namespace rp::lacs {
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

GridJournal::GridJournal(std::string path, const std::string& canonical) : path_(std::move(path)) {
  std::ifstream in(path_);
  std::string first;
  if (in && std::getline(in, first) && !first.empty()) {
    std::string recorded;
    try {
      recorded = nlohmann::json::parse(first).at("experiment").get<std::string>();
    } catch (const std::exception&) {
      throw UsageError(path_ + ": not a LACS journal (delete it or run with --fresh)");
    }
    if (recorded != canonical) {
      throw UsageError(path_ + " belongs to a different experiment (the YAML changed); run with --fresh to start over");
    }
    // A line cut short by a kill has no newline: end it, so the next point starts a line of its own.
    std::ifstream tail(path_, std::ios::binary | std::ios::ate);
    if (tail.tellg() > 0) {
      tail.seekg(-1, std::ios::end);
      if (tail.get() != '\n') {
        std::ofstream(path_, std::ios::app) << "\n";
      }
    }
    return;
  }
  write_line(path_, nlohmann::json{{"experiment", canonical}}.dump());
}

std::map<int64_t, PointResult> GridJournal::read() const {
  std::map<int64_t, PointResult> out;
  std::ifstream in(path_);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
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

void GridJournal::append(int64_t index, const PointResult& p) const { write_line(path_, point_json(index, p)); }

}  // namespace rp::lacs
