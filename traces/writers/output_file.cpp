#include "traces/writers/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "simulator/error.h"

namespace rp::traces {
namespace {

// What a non-regular file is, in words, for the one-line refusals.
const char* kind_of(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISDIR(mode)) return "a directory";
  return "not a plain file";
}

// fsync of a directory by name; false (errno set) on failure.
bool sync_directory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

std::string reason(int err) { return err ? std::strerror(err) : "unknown error"; }

}  // namespace

void refuse_non_regular_output(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;  // absent (or unreachable: creating the temporary says why)
  if (S_ISDIR(st.st_mode)) throw UsageError("output '" + path + "' is a directory, not a file");
  if (!S_ISREG(st.st_mode)) {
    throw UsageError("output '" + path + "' is not a regular file (it is " + kind_of(st.st_mode) + ")");
  }
}

OutputFile::OutputFile(std::string path) : m_path(std::move(path)), m_tmp(m_path + ".tmp") {
  if (m_path.empty()) throw UsageError("output file name is empty");
  refuse_non_regular_output(m_path);
  create_temporary();
}

// A stale regular PATH.tmp (left by a killed run) is removed; anything else there is refused, never followed.
void OutputFile::create_temporary() {
  struct stat st {};
  if (::lstat(m_tmp.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      throw UsageError("cannot write '" + m_path + "': its temporary '" + m_tmp + "' exists and is not a regular " +
                       "file (it is " + kind_of(st.st_mode) + "); remove it");
    }
    if (::unlink(m_tmp.c_str()) != 0 && errno != ENOENT) {
      throw UsageError("cannot write '" + m_path + "': removing the stale '" + m_tmp + "' failed: " + reason(errno));
    }
  }
  m_fd = ::open(m_tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (m_fd < 0) {
    const int err = errno;
    if (err == EEXIST || err == ELOOP) {
      throw UsageError("cannot write '" + m_path + "': '" + m_tmp + "' appeared while being created; refusing it");
    }
    throw UsageError("cannot write '" + m_path + "': " + reason(err));
  }
  if (::fstat(m_fd, &st) != 0) {
    const int err = errno;
    ::close(m_fd);
    m_fd = -1;
    ::unlink(m_tmp.c_str());
    throw UsageError("cannot write '" + m_path + "': " + reason(err));
  }
  m_dev = st.st_dev;
  m_ino = st.st_ino;
}

bool OutputFile::still_ours() const {
  struct stat st {};
  return ::lstat(m_tmp.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_dev == m_dev && st.st_ino == m_ino;
}

OutputFile::~OutputFile() {
  if (m_fd >= 0) ::close(m_fd);
  if (!m_committed && still_ours()) ::unlink(m_tmp.c_str());
}

void OutputFile::write(std::string_view data) {
  if (m_fd < 0) throw SimulationError("cannot write '" + m_path + "': the file is already closed");
  while (!data.empty()) {
    const ssize_t n = ::write(m_fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      throw SimulationError("cannot write '" + m_path + "': " + reason(err));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void OutputFile::commit() {
  if (m_fd < 0) throw SimulationError("cannot write '" + m_path + "': the file is already closed");
  // fsync flushes the inode, so it also covers what a writer wrote by name (tmp_path()) through its own descriptor.
  if (::fsync(m_fd) != 0) {
    throw SimulationError("cannot write '" + m_path + "': flushing '" + m_tmp + "' failed: " + reason(errno));
  }
  const int fd = m_fd;
  m_fd = -1;
  if (::close(fd) != 0) {
    throw SimulationError("cannot write '" + m_path + "': closing '" + m_tmp + "' failed: " + reason(errno));
  }
  if (!still_ours()) {
    throw SimulationError("cannot write '" + m_path + "': '" + m_tmp + "' was replaced while being written; " +
                          "refusing to rename it into place");
  }
  if (std::rename(m_tmp.c_str(), m_path.c_str()) != 0) {
    throw SimulationError("cannot rename '" + m_tmp + "' to '" + m_path + "': " + reason(errno));
  }
  m_committed = true;
  // The rename is in the directory: flush it too, or a crash could bring back the old file. Some filesystems
  // cannot fsync a directory (EINVAL); the rename itself is still atomic there.
  if (!sync_directory(directory_of(m_path)) && errno != EINVAL) {
    throw SimulationError("cannot write '" + m_path + "': flushing its directory failed: " + reason(errno));
  }
}

void write_atomically(const std::string& path, const std::function<void(const std::string& tmp_path)>& write) {
  OutputFile out(path);
  write(out.tmp_path());
  out.commit();
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::optional<std::string> read_no_follow(const std::string& path, const std::string& what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw UsageError("cannot read " + what + " " + path + ": " +
                     (errno == ELOOP ? "it is a symbolic link" : std::strerror(errno)));
  }
  struct stat st {};
  std::string text;
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  char buf[1 << 16];
  for (ssize_t n = 0; ok && (n = ::read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      ok = false;
    else
      text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (!ok) throw UsageError("cannot read " + what + " " + path + ": not a regular file");
  return text;
}

std::string output_stem(const std::string& path) {
  const std::string ext = ".h5";
  if (path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0) {
    return path.substr(0, path.size() - ext.size());
  }
  return path;
}

}  // namespace rp::traces
