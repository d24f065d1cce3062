#pragma once
// The plumbing of one run, owned in one place, for every experiment kind (experiments/kinds/kind.h): the output's
// lock, --fresh, the progress journal, the job pool (serial, --jobs forked workers, MPI ranks), interrupts, the
// directory of side files, and the checked, atomic output. A kind's run function reads as:
//
//   int run_lacs(RunContext& ctx) {
//     const LacsSettings s = load_lacs(ctx.request().file);            // validated before anything is written
//     if (!ctx.begin(plan_of(s), job)) return 0;                      // an MPI rank that only served jobs
//     ... method(..., ctx.pool(), ctx.journal(), ctx.stop()) ...
//     ctx.files().write("lacs-phi0.yaml", text);                       // side files before the table
//     ctx.write_output([&](traces::H5Out& root) { write_table(root, "grid", rows, grid_columns); });
//     return 0;
//   }
//
// begin(), on rank 0 (or the only process): takes the output's lock (run_lock.h) before touching anything beside
// the output; with --fresh removes the journal and the side files the run wrote (the previous output stays until
// write_output replaces it whole); checks the side-file directory is the run's own; opens the journal (refusing
// another run's: identity.h); starts the job pool (--jobs workers fork here, before the kind runs SystemC or
// LibTorch). On MPI ranks 1..N-1 begin() serves jobs until rank 0 is done and returns false. A run that fails or
// stops before it journaled anything removes the journal and directory it created (nothing is left behind by a run
// that did nothing), except a --fresh run over a previous output: it keeps its empty journal, so that output,
// whose side files are gone, is not taken as complete by the next run.
// A complete output without a journal (write_output removes the journal): begin() compares the identity stored in
// the output's attributes with the run's. The same: it says the output is complete, does nothing and returns
// false (the run is finished, summary().complete); another: UsageError naming the difference (never replaced
// without --fresh, as a journal of another run is never mixed in); none stored (not an experiment's output):
// the run starts as if there were no output.
// write_output() writes the kind's tables through `write`, then the run's attributes on the root (kind,
// experiment file and text, resolved settings, identity, tool_version: the marker output_guard.h checks), to a
// temporary that is renamed into place only when written, flushed and closed (traces/writers/h5_output.h); then
// it removes the journal (unless --keep-journal): a complete output has no progress file beside it (a kill between the two leaves both,
// and the next run finds every unit journaled and writes the same output again).

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "experiments/run/identity.h"
#include "experiments/run/interrupt.h"
#include "experiments/run/job_pool.h"
#include "experiments/run/line_journal.h"
#include "experiments/run/run_lock.h"
#include "experiments/run/side_files.h"
#include "simulator/error.h"
#include "traces/writers/h5_seam.h"

namespace rp::run {

// `--jobs` at most: 1024 workers is 64x the cores of a large node; each is a forked process holding its own data.
constexpr int kMaxJobs = 1024;
// `--journal-batch` at most: a power loss may cost that many points or a second of them, whichever is fewer.
constexpr int kMaxJournalBatch = 100000;

// What the command line (or Python) asks of a run.
struct RunRequest {
  std::string file;           // the experiment YAML
  std::string kind;           // its kind (run_experiment fills it from the file)
  std::string output;         // --output: replaces the file's `output` (as given: relative to the current directory)
  int jobs = 1;               // --jobs: forked workers (ignored under MPI)
  int64_t max_units = -1;     // --max-points: stop after this many new units of work (-1: no limit)
  bool fresh = false;         // --fresh
  bool keep_journal = false;  // --keep-journal: leave OUTPUT.progress.jsonl after a complete run (to inspect it)
  int journal_batch = SyncPolicy{}.batch;  // --journal-batch: fsync the journal after this many records (1: each)
  std::string dataset_dir;                 // --fashion-mnist
  std::string version;                     // RIDGEPOINT_VERSION
  int rank = 0, ranks = 1;                 // MPI position (ranks 1: no MPI)
  // --python-accuracy SOCKET --python-accuracy-name NAME (internal: ridgepoint.run(FILE, accuracy=CALLABLE) passes
  // them): the callable's socket and qualified name for `method: python` (kinds/accuracy/trial_python.h).
  std::string python_accuracy, python_accuracy_name;
};

// What a run did, for its caller (Python's run() returns it): units of work in all, done by earlier runs, done now.
struct RunSummary {
  int64_t total = 0, done_before = 0, computed = 0;
  bool complete = false;
  std::string output;  // the output's path as the run resolved it (set by begin())
};

// What a kind tells begin() about its run.
struct RunPlan {
  std::string kind;
  std::string output;
  std::string resolved_yaml;  // the settings as resolved (settings_io.h)
  RunIdentity identity;
  std::string accelerator, accelerator_config;  // a kind on one accelerator: its name and resolved YAML ("" if not)
  // Units of work in all, where the kind knows them before begin() (a sweep's points): --jobs forks at most this
  // many workers, so a one-point sweep with --jobs 64 runs in this process. -1: not known, --jobs workers.
  int64_t units = -1;
};

class RunContext {
 public:
  RunContext(RunRequest request, std::ostream& log);  // installs the interrupt handlers for the run's length
  ~RunContext();
  RunContext(const RunContext&) = delete;
  RunContext& operator=(const RunContext&) = delete;

  const RunRequest& request() const { return request_; }
  std::ostream& log() { return log_; }
  StopCheck stop() const;  // for methods: throws rp::Interrupted once the run is interrupted
  bool worker_rank() const { return request_.ranks > 1 && request_.rank > 0; }

  // See above. `job`: what the pool's workers run (empty: the kind uses no pool).
  bool begin(const RunPlan& plan, const Job& job);
  JobPool& pool();
  LineJournal& journal();
  SideFiles& files();
  const RunPlan& plan() const { return plan_; }
  // New units of work this run may still do under --max-points (-1: no limit); count() one as it is done.
  int64_t budget() const;
  void count(int64_t units = 1) { done_ += units; }

  void write_output(const std::function<void(traces::H5Out& root)>& write);
  // Marks the run finished (the destructor then keeps what it wrote).
  void finish() {
    finished_ = true;
    summary_.complete = true;
  }
  RunSummary& summary() { return summary_; }  // the kind fills total, done_before and computed
  // fsyncs the journal's unsynced records (none, or no journal: nothing to do); SimulationError on failure. Called
  // when a kind returns, so a run stopped by --max-points reports "progress kept" only once it is on disk.
  void sync_progress();

 private:
  RunRequest request_;
  std::ostream& log_;
  InterruptScope interrupts_;
  RunPlan plan_;
  std::unique_ptr<RunLock> lock_;
  std::unique_ptr<LineJournal> journal_;
  std::unique_ptr<SideFiles> files_;
  std::unique_ptr<JobPool> pool_;
  int64_t done_ = 0;
  bool finished_ = false;
  // --fresh over a previous output: its side files were cleared, so that output no longer stands complete; the
  // journal then stays even when empty (a rerun redoes the work rather than taking the old output as complete).
  bool fresh_over_output_ = false;
  RunSummary summary_;

  bool complete_already(const std::string& journal_path);  // see begin()
};

}  // namespace rp::run
