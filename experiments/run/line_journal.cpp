#include "experiments/run/line_journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "simulator/error.h"
#include "traces/writers/output_file.h"

namespace rp::run {
namespace {

constexpr int kOpenFlags = O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;  // never through a link; a FIFO does not block

std::string reason(int err) { return err == ELOOP ? "it is a symbolic link" : std::strerror(err); }

// The whole journal, "" when absent (`exists` says which); UsageError when it is a link or not a regular file.
std::string read_journal(const std::string& path, bool& exists) {
  const std::optional<std::string> text = traces::read_no_follow(path, "progress journal");
  exists = text.has_value();
  return text.value_or("");
}

// One write() of the whole text on `fd`; "" or why it failed.
std::string write_text(int fd, const std::string& text) {
  errno = 0;
  const ssize_t n = ::write(fd, text.data(), text.size());
  if (n < 0) return std::strerror(errno);
  if (static_cast<size_t>(n) != text.size()) {  // a short write sets no errno: say what happened
    return "only " + std::to_string(n) + " of " + std::to_string(text.size()) + " bytes written" +
           (errno ? std::string(" (") + std::strerror(errno) + ")" : " (the disk is probably full)");
  }
  return "";
}

// Opens the journal for appending; -1 with errno set on failure.
int open_append(const std::string& path, int extra_flags) {
  return ::open(path.c_str(), O_WRONLY | O_APPEND | kOpenFlags | extra_flags, 0644);
}

}  // namespace

LineJournal::LineJournal(std::string path, const RunIdentity& identity, SyncPolicy policy)
    : path_(std::move(path)), policy_(policy), last_sync_(std::chrono::steady_clock::now()) {
  const std::string header = identity.to_json();
  bool exists = false;
  std::string text = read_journal(path_, exists);
  const size_t last_newline = text.rfind('\n');
  // A header cut short by a kill (a prefix of ours, no newline yet) is as good as no journal.
  if (last_newline == std::string::npos && header.compare(0, text.size(), text) == 0) text.clear();
  if (!text.empty()) {
    const RunIdentity theirs = RunIdentity::from_json(text.substr(0, text.find('\n')), path_);
    const std::string diff = identity.difference(theirs);
    if (!diff.empty()) {
      throw UsageError(path_ + ": progress of another run (" + diff + "); remove it or run with --fresh");
    }
    // A record cut short by a kill has no newline: drop it (that unit of work is done again), so the journal
    // holds whole records only and the next record starts a line of its own.
    if (last_newline + 1 != text.size() && ::truncate(path_.c_str(), static_cast<off_t>(last_newline + 1)) != 0) {
      throw SimulationError("cannot write progress journal " + path_ + ": " + std::strerror(errno));
    }
    fd_ = open_append(path_, 0);
    if (fd_ < 0) throw SimulationError("cannot write progress journal " + path_ + ": " + reason(errno));
    return;
  }
  // Creating the journal is the first write next to the output: a path that cannot be written is bad input.
  if (exists && ::unlink(path_.c_str()) != 0) {
    throw UsageError("cannot write progress journal " + path_ + ": " + std::strerror(errno));
  }
  fd_ = open_append(path_, O_CREAT | O_EXCL);
  std::string why = fd_ < 0 ? reason(errno) : write_text(fd_, header + "\n");
  if (why.empty() && ::fsync(fd_) != 0) why = std::string("fsync: ") + std::strerror(errno);
  if (!why.empty()) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    ::unlink(path_.c_str());
    throw UsageError("cannot write progress journal " + path_ + ": " + why +
                     " (check the output path: the experiment's 'output' or run --output)");
  }
  created_ = true;
}

LineJournal::~LineJournal() {
  if (fd_ < 0) return;
  if (unsynced_ > 0) ::fsync(fd_);
  ::close(fd_);
}

void LineJournal::append(const std::string& json_line) {
  const std::string why = write_text(fd_, json_line + "\n");
  if (!why.empty()) throw SimulationError("cannot write progress journal " + path_ + ": " + why);
  ++unsynced_;
  if (unsynced_ >= policy_.batch || std::chrono::steady_clock::now() - last_sync_ >= policy_.interval) sync();
}

void LineJournal::sync() {
  if (unsynced_ == 0) return;
  if (::fsync(fd_) != 0) {
    throw SimulationError("cannot write progress journal " + path_ + ": fsync: " + std::strerror(errno));
  }
  unsynced_ = 0;
  ++syncs_;
  last_sync_ = std::chrono::steady_clock::now();
}

std::vector<std::string> LineJournal::records() const {
  bool exists = false;
  const std::string text = read_journal(path_, exists);
  std::vector<std::string> out;
  size_t start = text.find('\n');
  while (start != std::string::npos && start + 1 < text.size()) {
    const size_t end = text.find('\n', start + 1);
    const std::string line = text.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
    if (!line.empty()) out.push_back(line);
    start = end;
  }
  return out;
}

}  // namespace rp::run
