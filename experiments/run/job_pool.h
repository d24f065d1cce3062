#pragma once
// The jobs of a run, done one way or another behind one interface: in this process (serial), in `--jobs N` forked
// worker processes, or on MPI ranks 1..N-1 (`mpirun -np N`; rank 0 runs the kind and hands out the jobs). A job is
// a function from a one-line text request to a one-line text reply (JSON, a number printed exactly); the kind
// defines it once and every pool runs the same function, so a table never depends on where a job ran. Replies
// arrive in completion order with their request's index: callers store them by index.
//
// Contract:
// - run() returns when every request has its reply. A job that throws: run() throws the same kind of error
//   (UsageError or SimulationError) with the job's message, wherever it ran.
// - Interrupts (experiments/run/interrupt.h): run() polls at least every 100 ms; once interrupted it stops the jobs
//   in flight (forked workers are killed, their work discarded) and throws rp::Interrupted. Under MPI rank 0 then
//   aborts the job (mpirun ends every rank).
// - Forked workers die with this process, even on kill -9 (worker_process.h). Create the pool before this process
//   runs SystemC or LibTorch (neither survives fork); the workers inherit what was loaded before (a data set).
//   A failed fork stops and reaps the workers already started. The destructor stops busy workers and reaps all.
// - Not thread-safe; one run() at a time.
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rp::run {

using Job = std::function<std::string(const std::string& request)>;
using Reply = std::function<void(size_t index, const std::string& reply)>;

class JobPool {
 public:
  virtual ~JobPool() = default;
  virtual void run(const std::vector<std::string>& requests, const Reply& done) = 0;
  virtual int workers() const = 0;  // jobs that can run at once
};

std::unique_ptr<JobPool> make_serial_pool(Job job);
std::unique_ptr<JobPool> make_fork_pool(int workers, Job job);
// Rank 0's side of `mpirun -np ranks`; every other rank runs serve_mpi_jobs(). MPI must be initialised.
std::unique_ptr<JobPool> make_mpi_pool(int ranks);
// The loop of ranks 1..N-1: runs what rank 0 sends until it says stop (or the run is interrupted).
void serve_mpi_jobs(const Job& job);

// A number as a job's reply: printed with 17 significant digits, so it reads back to the same double.
std::string exact_number(double v);

// A job's reply as the pools send it ("+" reply, or "!u" / "!s" and the error message) and back.
std::string encode_reply(const Job& job, const std::string& request);
std::string decode_reply(const std::string& wire, const std::string& where);  // rethrows a job's error

}  // namespace rp::run
