#pragma once
// The lock of a run that writes an output (`OUTPUT.lock` beside it), so two runs never write the same output,
// journal or checkpoints at once. Shared by every runner (sweeps, NAS, LACS, HURRICANE): take it before touching
// anything next to the output (before --fresh removes files, before opening the journal) and hold it until the
// output is written.
//
// Contract:
// - The lock file is opened with O_NOFOLLOW and must be a regular file: a symbolic link planted at its path is
//   refused (one line), never followed.
// - It is an flock(2) on `OUTPUT.lock`: the kernel releases it when the holder exits, however it exits (kill -9
//   included), so a killed run never leaves a stale lock; the file left behind by a kill is reused by the next run.
// - A second RunLock on the same output, from any process, fails at once (never waits) with one UsageError line
//   naming the output, the holder's pid, host and start time, and what to do.
// - Forked workers inherit the lock (it belongs to the open file, which fork shares): it stays held while any of
//   them lives, even if the parent was killed first.
// - Under MPI only rank 0 takes it (the other ranks work under rank 0's lock).
// - Release (the destructor) removes the lock file; a run that takes the lock checks that the file it locked is
//   still the one at the path, so removal never lets two runs in.
// - flock works across processes on one machine and, on Linux NFS clients, across machines (NFSv4 locks).
#include <string>

namespace rp::run {

class RunLock {
 public:
  // Takes the lock of `output`. UsageError (one line) when another run holds it, or when the lock file cannot be
  // created (the message names it and the system's reason: the output's directory is missing or unwritable).
  explicit RunLock(const std::string& output);
  ~RunLock();  // removes the lock file, then releases the lock
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace rp::run
