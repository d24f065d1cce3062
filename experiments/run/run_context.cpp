#include "experiments/run/run_context.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>

#include "experiments/run/interrupt.h"
#include "experiments/run/record_io.h"
#include "traces/writers/hdf5_table.h"

namespace rp::run {
namespace {

// The run attributes every output carries on its root, declared once.
struct RunAttributes {
  std::string kind, experiment, experiment_file, experiment_yaml, experiment_canonical, inputs, tool_version;
  std::string accelerator, accelerator_config;
};

void run_attribute_columns(Columns& c, RunAttributes& a) {
  c.column("kind", a.kind);
  c.column("experiment", a.experiment);  // the settings as resolved (YAML)
  c.column("experiment_file", a.experiment_file);
  c.column("experiment_yaml", a.experiment_yaml);            // the file's text as given
  c.column("experiment_canonical", a.experiment_canonical);  // what identifies the run's results
  c.column("inputs", a.inputs);                              // the files it read, with their hashes (JSON)
  c.column("tool_version", a.tool_version);                  // also Ridgepoint's marker (output_guard.h)
  if (a.accelerator.empty()) return;                         // a sweep has several
  c.column("accelerator", a.accelerator);
  c.column("accelerator_config", a.accelerator_config);  // the resolved accelerator YAML
}

// The run identity an experiment's output stores (its `inputs` attribute: identity.h JSON), or nothing when it
// stores none that this version reads (a trace; an output of a Ridgepoint before identities were stored).
std::optional<RunIdentity> stored_identity(const std::string& output) {
  const std::optional<std::string> text = traces::hdf5_module().root_attr(output, "inputs");
  if (!text) return std::nullopt;
  try {
    return RunIdentity::from_json(*text, output);
  } catch (const UsageError&) {
    return std::nullopt;
  }
}

bool regular_file(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

RunContext::RunContext(RunRequest request, std::ostream& log) : request_(std::move(request)), log_(log) {}

RunContext::~RunContext() {
  pool_.reset();  // workers stop before anything is removed
  if (finished_ || !journal_ || !journal_->created() || !journal_->records().empty() || fresh_over_output_) return;
  // Nothing was journaled: leave nothing behind (the lock file goes with the lock). Not after --fresh over an
  // output: its side files are gone, and without a journal a rerun would take that output as complete.
  std::remove(journal_->path().c_str());
  try {
    files_->remove_if_empty();
  } catch (const std::exception&) {}
}

StopCheck RunContext::stop() const { return stop_check(); }

bool RunContext::begin(const RunPlan& plan, const Job& job) {
  throw_if_interrupted();  // stopped while loading: nothing written yet
  plan_ = plan;
  if (worker_rank()) {
    serve_mpi_jobs(job);
    return false;
  }
  lock_ = std::make_unique<RunLock>(plan.output);  // before removing or opening anything beside the output
  files_ = std::make_unique<SideFiles>(plan.output);
  files_->check();
  const std::string journal_path = plan.output + ".progress.jsonl";
  summary_.output = plan.output;
  if (complete_already(journal_path)) {
    if (request_.ranks > 1) pool_ = make_mpi_pool(request_.ranks);  // its end releases the waiting ranks
    finish();
    return false;
  }
  if (request_.fresh) {
    // The previous output stays until the new one replaces it whole (write_output), so a run that fails (a full
    // disk, an interrupt) leaves the previous complete output in place, not nothing.
    // Its side files go now, so the journal opened below must outlive this run even when nothing is journaled
    // (the destructor): a stopped --fresh run never leaves the previous output looking complete without them.
    fresh_over_output_ = regular_file(plan.output);
    std::remove(journal_path.c_str());
    files_->clear();
  }
  SyncPolicy policy;
  policy.batch = request_.journal_batch;
  journal_ = std::make_unique<LineJournal>(journal_path, plan.identity, policy);
  const int workers = plan.units < 0 ? request_.jobs : static_cast<int>(std::min<int64_t>(request_.jobs, plan.units));
  if (request_.ranks > 1)
    pool_ = make_mpi_pool(request_.ranks);
  else if (job && workers > 1)
    pool_ = make_fork_pool(workers, job);
  else if (job)
    pool_ = make_serial_pool(job);
  throw_if_interrupted();
  return true;
}

bool RunContext::complete_already(const std::string& journal_path) {
  if (request_.fresh || !regular_file(plan_.output) || ::access(journal_path.c_str(), F_OK) == 0) return false;
  std::optional<RunIdentity> stored;
  try {
    stored = stored_identity(plan_.output);
  } catch (const SimulationError&) {  // not readable as HDF5 (h5_seam.h root_attr)
    throw UsageError("cannot read the run identity of the output " + plan_.output + "; run with --fresh to replace it");
  }
  if (!stored) return false;
  const std::string diff = plan_.identity.difference(*stored);
  if (!diff.empty()) {
    throw UsageError(plan_.output + " holds the complete results of another run (" + diff +
                     "); run with --fresh to replace it, or name another output (--output PATH)");
  }
  log_ << plan_.output << " is complete (same settings, input files and program version): nothing to do; "
       << "--fresh runs it again\n";
  return true;
}

JobPool& RunContext::pool() {
  if (!pool_) throw std::logic_error("RunContext::pool() before begin() with a job");
  return *pool_;
}

void RunContext::sync_progress() {
  if (journal_) journal_->sync();
}

LineJournal& RunContext::journal() {
  if (!journal_) throw std::logic_error("RunContext::journal() before begin()");
  return *journal_;
}

SideFiles& RunContext::files() {
  if (!files_) throw std::logic_error("RunContext::files() before begin()");
  return *files_;
}

int64_t RunContext::budget() const {
  if (request_.max_units < 0) return -1;
  return request_.max_units > done_ ? request_.max_units - done_ : 0;
}

void RunContext::write_output(const std::function<void(traces::H5Out& root)>& write) {
  RunAttributes a{plan_.kind,
                  plan_.resolved_yaml,
                  request_.file,
                  file_text(request_.file),
                  plan_.identity.settings,
                  plan_.identity.to_json(),
                  request_.version,
                  plan_.accelerator,
                  plan_.accelerator_config};
  if (journal_) journal_->sync();  // the end of the run: every record on disk before the output replaces it
  traces::write_hdf5_atomically(plan_.output, [&](traces::H5Out& root) {
    write(root);
    write_attributes(root, a, run_attribute_columns);
  });
  // Complete: the progress is in the output now. A removal that fails leaves a journal a rerun reads in full.
  if (journal_ && !request_.keep_journal) std::remove(journal_->path().c_str());
}

}  // namespace rp::run
