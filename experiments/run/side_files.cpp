#include "experiments/run/side_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "simulator/error.h"
#include "traces/writers/output_file.h"

namespace rp::run {
namespace {

constexpr const char* kList = ".ridgepoint-run";  // the names of the files a run wrote, one per line

void write_file(const std::string& path, const std::string& bytes) {
  traces::write_atomically(path, [&](const std::string& tmp) {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    f.close();
    if (!f) throw SimulationError("cannot write " + path + ": " + std::strerror(errno ? errno : EIO));
  });
}

// The names in directory `dir`; empty when it cannot be read.
std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  return names;
}

// True when every name in `names` is the list or the temporary of its atomic write: what a run's directory holds
// between its creation and its first file, or at its removal.
bool only_the_list(const std::vector<std::string>& names) {
  const std::string list = kList, tmp = list + ".tmp";
  return std::all_of(names.begin(), names.end(), [&](const std::string& n) { return n == list || n == tmp; });
}

void remove_path(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    throw UsageError("cannot remove " + path + ": " + std::strerror(errno));
  }
}

// The one-line refusal when `staging` holds what a run did not put there (a file, a link, a directory with more
// than the list); empty when it is absent or holds at most the list a killed run left.
std::string staging_refusal(const std::string& staging) {
  struct stat st {};
  if (::lstat(staging.c_str(), &st) != 0) return "";
  const bool dir = S_ISDIR(st.st_mode);  // a link is not followed: lstat
  if (dir && only_the_list(entries(staging))) return "";
  return staging + " is in the way: a run stages its directory of side files there, and " +
         (dir ? "it holds files the run did not write" : "it is not a directory") + "; move it away";
}

}  // namespace

std::string side_directory(const std::string& output) { return traces::output_stem(output) + ".files"; }

SideFiles::SideFiles(const std::string& output) : dir_(side_directory(output)), staging_(dir_ + ".tmp") {}

void SideFiles::remove_staging() const {
  const std::string refusal = staging_refusal(staging_);
  if (!refusal.empty()) throw UsageError(refusal);
  struct stat st {};
  if (::lstat(staging_.c_str(), &st) != 0) return;
  for (const auto& n : entries(staging_)) remove_path(staging_ + "/" + n);
  if (::rmdir(staging_.c_str()) != 0) {
    throw UsageError("cannot remove " + staging_ + ": " + std::strerror(errno));
  }
}

void SideFiles::create() {
  remove_staging();
  if (::mkdir(staging_.c_str(), 0755) != 0) {
    throw UsageError("cannot create " + staging_ + ": " + std::strerror(errno));
  }
  write_file(staging_ + "/" + kList, "");
  if (::rename(staging_.c_str(), dir_.c_str()) != 0) {
    throw UsageError("cannot create " + dir_ + ": " + std::strerror(errno));
  }
}

void SideFiles::check() const {
  const std::string refusal = staging_refusal(staging_);  // before any work, not at the run's first side file
  if (!refusal.empty()) throw UsageError(refusal);
  struct stat st {};
  if (::lstat(dir_.c_str(), &st) != 0) return;  // made on first use
  if (!S_ISDIR(st.st_mode)) {
    throw UsageError(dir_ +
                     " exists and is not a directory: the run keeps its side files there; move it away or "
                     "name another output");
  }
  struct stat list {};
  if (::lstat((dir_ + "/" + kList).c_str(), &list) != 0 || !S_ISREG(list.st_mode)) {
    throw UsageError(dir_ + " exists and was not made by a Ridgepoint run (no " + kList +
                     " inside): move it away "
                     "or name another output");
  }
}

std::vector<std::string> SideFiles::written() const {
  check();
  const auto text = traces::read_no_follow(dir_ + "/" + kList, "the list of a run's files");
  std::vector<std::string> names;
  if (!text) return names;
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) names.push_back(line);
  }
  return names;
}

void SideFiles::record(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += n + "\n";
  write_file(dir_ + "/" + kList, text);
}

void SideFiles::write(const std::string& name, const std::string& bytes) {
  if (name.empty() || name.find('/') != std::string::npos || name[0] == '.') {
    throw std::logic_error("SideFiles::write: not a plain file name: '" + name + "'");
  }
  std::vector<std::string> names = written();
  struct stat st {};
  if (::lstat(dir_.c_str(), &st) != 0) create();
  const bool ours = std::find(names.begin(), names.end(), name) != names.end();
  if (!ours && ::lstat(path(name).c_str(), &st) == 0) {
    throw UsageError("refusing to replace " + path(name) + ": it was not written by a Ridgepoint run");
  }
  if (!ours) {  // listed before it exists: a kill in between leaves a name to replace, never a file unlisted
    names.push_back(name);
    record(names);
  }
  write_file(path(name), bytes);
}

std::optional<std::string> SideFiles::read(const std::string& name) const {
  check();
  return traces::read_no_follow(path(name), "side file");
}

void SideFiles::clear() {
  const std::vector<std::string> names = written();
  for (const auto& n : names) remove_path(path(n));
  if (!names.empty()) record({});
}

void SideFiles::remove_if_empty() {
  struct stat st {};
  if (::lstat(dir_.c_str(), &st) != 0 || !written().empty() || !only_the_list(entries(dir_))) return;
  // Renamed away first, so that no moment leaves at dir() a directory without its list.
  remove_staging();
  if (::rename(dir_.c_str(), staging_.c_str()) != 0) return;
  remove_staging();
}

}  // namespace rp::run
