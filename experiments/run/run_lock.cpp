#include "experiments/run/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "simulator/error.h"

namespace rp::run {
namespace {

// "pid N on HOST, started YYYY-MM-DD HH:MM:SS ZONE": what a refused run prints about the holder.
std::string holder_text() {
  char host[256] = "?";
  ::gethostname(host, sizeof host - 1);
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char when[64];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", &tm);
  return "pid " + std::to_string(::getpid()) + " on " + host + ", started " + when;
}

std::string read_holder(int fd) {
  char buf[512];
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string s(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
  return s;
}

bool same_file(int fd, const std::string& path) {
  struct stat a {
  }, b{};
  return ::fstat(fd, &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

}  // namespace

RunLock::RunLock(const std::string& output) : path_(output + ".lock") {
  for (;;) {
    // Never through a symbolic link planted at the lock's path (it would truncate the link's target), and never a
    // FIFO or device (O_NONBLOCK: opening a FIFO does not wait for a writer).
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
    if (fd_ < 0) {
      throw UsageError("cannot write lock file " + path_ + ": " +
                       (errno == ELOOP ? "it is a symbolic link (remove it)" : std::strerror(errno)) +
                       " (check the output path: the experiment's 'output' or run --output)");
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd_);
      fd_ = -1;
      throw UsageError("cannot write lock file " + path_ + ": not a regular file (remove it)");
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      const std::string holder = read_holder(fd_);
      ::close(fd_);
      fd_ = -1;
      if (err == EWOULDBLOCK) {
        throw UsageError(output + " is being written by " +
                         (holder.empty() ? std::string("another ridgepoint run") : "ridgepoint " + holder) +
                         " (lock file " + path_ + "); wait for it to finish or stop it, then run again");
      }
      throw UsageError("cannot lock " + path_ + ": " + std::strerror(err));
    }
    // A run releasing the lock removes the file before unlocking it: if we locked a removed file, the next run
    // would lock a new one beside us. Only the file still at the path counts.
    if (same_file(fd_, path_)) break;
    ::close(fd_);
  }
  // The holder's line first, then the length: the file is never empty while we hold it (once written).
  const std::string text = holder_text() + "\n";
  if (::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()) ||
      ::ftruncate(fd_, static_cast<off_t>(text.size())) != 0) {
    const int err = errno;
    ::unlink(path_.c_str());
    ::close(fd_);
    throw UsageError("cannot write lock file " + path_ + ": " + std::strerror(err));
  }
}

RunLock::~RunLock() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());
  ::close(fd_);  // releases the flock (forked workers that shared it have exited by now)
}

}  // namespace rp::run
