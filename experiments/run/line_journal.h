#pragma once
// The progress journal of a run (`OUTPUT.progress.jsonl`), used by every kind through RunContext: a header line
// holding the run's identity (identity.h: settings, input files, version), then one JSON record per finished unit
// of work. Each append is a single write() on an O_APPEND descriptor, so a finished record is in the kernel at once
// and survives a kill of this process (even kill -9). fsync is batched (SyncPolicy): after `batch` records or when
// the last fsync is `interval` old, whichever comes first (an append that comes after a pause of `interval` or more
// is therefore synced at once), and by sync() and the destructor (a run's end, an interrupt, an error). A power loss
// or an operating-system crash can lose the records of at most the last `interval` (one second by default) or
// `batch` records, plus a record appended before a long pause until the next append or the end. Opening a journal whose last record (or header) was cut short by a kill drops that partial line
// (the file is truncated after its last whole record), so that work is simply done again and the journal holds
// whole records only.
// Safety: the journal is opened with O_NOFOLLOW and must be a regular file: a symbolic link (or a FIFO, a device)
// planted at its path is refused, never followed. A journal of a run with another identity is refused with one
// line naming the difference (the experiment, an input file or the program changed), never mixed in.
// Contract for users: open the journal while holding the output's RunLock (run_lock.h), because opening may
// truncate. A user appends each unit of work once: it reads records() on resume and never re-appends what is
// there, so the journal never holds a unit twice.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/run/identity.h"

namespace rp::run {

// When the journal fsyncs: after `batch` unsynced records (1: after every record, as before batching), or at an
// append once the last fsync is `interval` old.
struct SyncPolicy {
  int batch = 256;
  std::chrono::milliseconds interval{1000};
};

class LineJournal {
 public:
  // Opens the journal at `path` for the run `identity`, creating it with its header when absent or empty.
  // UsageError naming the path: a symbolic link or not a regular file, another run's journal (with the
  // difference), no journal at all, or it cannot be created (the output's directory is bad).
  LineJournal(std::string path, const RunIdentity& identity, SyncPolicy policy = {});
  ~LineJournal();  // fsyncs what is unsynced (errors ignored: nothing can be reported from here), closes
  LineJournal(const LineJournal&) = delete;
  LineJournal& operator=(const LineJournal&) = delete;
  // Appends one record (no newline in it) in one write(), then fsyncs if the policy says so. SimulationError naming
  // the path and the reason on a failed or short write or fsync (e.g. "No space left on device").
  void append(const std::string& json_line);
  // fsyncs the records appended since the last fsync (nothing to do: no call). SimulationError on failure.
  void sync();
  int64_t syncs() const { return syncs_; }  // fsyncs of records since the open (the header's not counted)
  // Every line after the header, in file order (a torn last record included: parse and skip what fails).
  std::vector<std::string> records() const;
  const std::string& path() const { return path_; }
  bool created() const { return created_; }  // this open created the file (records() was empty then)

 private:
  std::string path_;
  bool created_ = false;
  int fd_ = -1;  // O_APPEND, open for the journal's life
  SyncPolicy policy_;
  int unsynced_ = 0;
  int64_t syncs_ = 0;
  std::chrono::steady_clock::time_point last_sync_;
};

}  // namespace rp::run
