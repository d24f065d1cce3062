#include "experiments/run/line_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "simulator/error.h"

namespace rp::traces {
namespace {

// One write() of the whole line on an O_APPEND descriptor, then fsync. False (errno set) on failure.
bool write_line(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) return false;
  const std::string text = line + "\n";
  const ssize_t n = ::write(fd, text.data(), text.size());
  const bool ok = n == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

}  // namespace

LineJournal::LineJournal(std::string path, const std::string& canonical) : path_(std::move(path)) {
  const std::string header = nlohmann::json{{"experiment", canonical}}.dump();
  std::string text;
  {
    std::ifstream in(path_, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const size_t last_newline = text.rfind('\n');
  // A header cut short by a kill (a prefix of ours, no newline yet) is as good as no journal.
  if (last_newline == std::string::npos && header.compare(0, text.size(), text) == 0) text.clear();
  if (!text.empty()) {
    const std::string first = text.substr(0, text.find('\n'));
    std::string got;
    try {
      got = nlohmann::json::parse(first).at("experiment").get<std::string>();
    } catch (const std::exception&) {
      throw UsageError(path_ + ": not a ridgepoint progress journal (remove it or run with --fresh)");
    }
    if (got != canonical) {
      throw UsageError(path_ + ": progress of a different experiment (the YAML changed); remove it or run with --fresh");
    }
    // A record cut short by a kill has no newline: drop it (that unit of work is done again), so the journal
    // holds whole records only and the next record starts a line of its own.
    if (last_newline + 1 != text.size() && ::truncate(path_.c_str(), static_cast<off_t>(last_newline + 1)) != 0) {
      throw SimulationError("cannot write progress journal " + path_ + ": " + std::strerror(errno));
    }
    return;
  }
  // Creating the journal is the first write next to the output: a path that cannot be written is bad input.
  if (::truncate(path_.c_str(), 0) != 0 && errno != ENOENT) {
    throw UsageError("cannot write progress journal " + path_ + ": " + std::strerror(errno));
  }
  if (!write_line(path_, header)) {
    throw UsageError("cannot write progress journal " + path_ + ": " + std::strerror(errno) +
                     " (check the experiment's 'output' path)");
  }
}

void LineJournal::append(const std::string& json_line) const {
  if (!write_line(path_, json_line)) {
    throw SimulationError("cannot write progress journal " + path_ + ": " + std::strerror(errno));
  }
}

std::vector<std::string> LineJournal::records() const {
  std::vector<std::string> out;
  std::ifstream in(path_);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace rp::traces
