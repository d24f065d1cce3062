#include "traces/writers/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "simulator/error.h"

namespace rp::traces {
namespace {

// fsync of a file or directory by name; false (errno set) on failure.
bool sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

OutputFile::OutputFile(std::string path) : m_path(std::move(path)), m_tmp(m_path + ".tmp") {
  if (m_path.empty()) throw UsageError("output file name is empty");
  struct stat st {};
  if (::stat(m_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    throw UsageError("cannot write '" + m_path + "': is a directory");
  }
  errno = 0;
  std::ofstream probe(m_tmp, std::ios::binary | std::ios::trunc);
  if (!probe) {
    const int err = errno;
    throw UsageError("cannot write '" + m_path + "': " + (err ? std::strerror(err) : "cannot create file"));
  }
}

OutputFile::~OutputFile() {
  if (!m_committed) std::remove(m_tmp.c_str());
}

void OutputFile::commit() {
  if (!sync_path(m_tmp, O_RDONLY)) {
    const int err = errno;
    throw SimulationError("cannot write '" + m_path + "': flushing '" + m_tmp + "' failed: " + std::strerror(err));
  }
  if (std::rename(m_tmp.c_str(), m_path.c_str()) != 0) {
    const int err = errno;
    throw SimulationError("cannot rename '" + m_tmp + "' to '" + m_path + "': " + std::strerror(err));
  }
  m_committed = true;
  // The rename is in the directory: flush it too, or a crash could bring back the old file. Some filesystems
  // cannot fsync a directory (EINVAL); the rename itself is still atomic there.
  if (!sync_path(directory_of(m_path), O_RDONLY | O_DIRECTORY) && errno != EINVAL) {
    const int err = errno;
    throw SimulationError("cannot write '" + m_path + "': flushing its directory failed: " + std::strerror(err));
  }
}

void write_atomically(const std::string& path, const std::function<void(const std::string& tmp_path)>& write) {
  OutputFile out(path);
  write(out.tmp_path());
  out.commit();
}

std::string output_stem(const std::string& path) {
  const std::string ext = ".h5";
  if (path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0) {
    return path.substr(0, path.size() - ext.size());
  }
  return path;
}

}  // namespace rp::traces
