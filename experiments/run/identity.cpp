#include "experiments/run/identity.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "simulator/error.h"

namespace rp::run {
namespace {

// FNV-1a, 64 bits: a change detector for files a run reads (not a defence against someone forging a file).
std::string fnv1a_file(int fd, const std::string& what) {
  uint64_t h = 0xcbf29ce484222325ULL;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw UsageError("cannot read " + what + ": " + std::strerror(errno));
    if (n == 0) break;
    for (ssize_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(buf[i])) * 0x100000001b3ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

}  // namespace

InputFile input_file(const std::string& role, const std::string& path) {
  const std::string what = role + " file " + path;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // O_NONBLOCK: a FIFO does not hang open
  if (fd < 0) throw UsageError("cannot read " + what + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw UsageError("cannot read " + what + ": not a regular file");
  }
  try {
    std::error_code
        ec;  // the path as absolute and normal: the same file named from another directory is the same input
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    InputFile f{role, ec ? path : absolute.lexically_normal().string(), fnv1a_file(fd, what)};
    ::close(fd);
    return f;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

std::string RunIdentity::to_json() const {
  nlohmann::json in = nlohmann::json::array();
  for (const InputFile& f : inputs) in.push_back({{"role", f.role}, {"path", f.path}, {"hash", f.hash}});
  return nlohmann::json{{"settings", settings}, {"inputs", in}, {"version", version}}.dump();
}

RunIdentity RunIdentity::from_json(const std::string& text, const std::string& where) {
  try {
    const auto j = nlohmann::json::parse(text);
    RunIdentity id;
    id.settings = j.at("settings").get<std::string>();
    id.version = j.at("version").get<std::string>();
    for (const auto& f : j.at("inputs")) {
      id.inputs.push_back(
          {f.at("role").get<std::string>(), f.at("path").get<std::string>(), f.at("hash").get<std::string>()});
    }
    return id;
  } catch (const std::exception&) {
    throw UsageError(where +
                     ": the run's identity is missing or unreadable (a journal of an older Ridgepoint?); "
                     "remove it or run with --fresh");
  }
}

std::string RunIdentity::difference(const RunIdentity& journal) const {
  if (journal.version != version) return "program version " + journal.version + " (journal) vs " + version;
  if (journal.settings != settings) return "the experiment's settings changed";
  for (const InputFile& now : inputs) {
    const InputFile* then = nullptr;
    for (const InputFile& f : journal.inputs) {
      if (f.role == now.role && f.path == now.path) then = &f;
    }
    if (!then) return now.role + " file " + now.path + " was not read by the journaled run";
    if (then->hash != now.hash) return now.role + " file " + now.path + " changed";
  }
  if (journal.inputs.size() != inputs.size()) return "the journaled run read other files";
  return "";
}

}  // namespace rp::run
