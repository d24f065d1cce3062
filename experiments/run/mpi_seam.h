#pragma once
// The seam between the run room and MPI. MPI (OpenMPI, with hwloc, libevent and PMIx behind it) is loaded only by a
// process that mpirun started: its code lives in a module of its own (lib/ridgepoint/ridgepoint-mpi.so beside the
// executable's bin/, in the build tree and after `cmake --install` alike), which mpi_backend() dlopen()s on first
// use and asks for its MpiBackend through one C symbol (kMpiFactory). `ridgepoint simulate` and every run without
// mpirun therefore load no MPI library.
// Contract: mpi_backend() loads the module once per process (a process-wide handle, as the dynamic loader's own
// state); if it cannot, UsageError in one line naming the module's path and the loader's reason. The module calls
// back into this process through MpiHost (its own copies of these functions would not see this process's
// interrupt flag).
#include <memory>
#include <string>

#include "experiments/run/job_pool.h"

namespace rp::run {

// What the module uses of this process.
struct MpiHost {
  bool (*interrupted)();
  void (*throw_if_interrupted)();
  std::string (*encode_reply)(const Job& job, const std::string& request);
  std::string (*decode_reply)(const std::string& wire, const std::string& where);
};

class MpiBackend {
 public:
  virtual ~MpiBackend() = default;
  // MPI_Init and this process's rank and the job's size.
  virtual void init(int* argc, char*** argv, int& rank, int& size) = 0;
  virtual void finalize() = 0;
  virtual void barrier() = 0;
  virtual void abort(int code) = 0;
  virtual std::unique_ptr<JobPool> make_pool(int ranks) = 0;  // job_pool.h make_mpi_pool
  virtual void serve(const Job& job) = 0;                     // job_pool.h serve_mpi_jobs
};

// The module's factory: `extern "C" rp::run::MpiBackend* rp_mpi_backend(const rp::run::MpiHost* host)`, returning
// an object that lives as long as the process.
constexpr const char* kMpiFactory = "rp_mpi_backend";
using MpiFactory = MpiBackend* (*)(const MpiHost* host);

// The module's path: DIR/../lib/ridgepoint/ridgepoint-mpi.so, DIR the running executable's directory.
std::string mpi_module_path();
MpiBackend& mpi_backend();

}  // namespace rp::run
