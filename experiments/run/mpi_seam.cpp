#include "experiments/run/mpi_seam.h"

#include "experiments/run/interrupt.h"
#include "simulator/module_loader.h"

namespace rp::run {
namespace {

const MpiHost kHost{&interrupted, &throw_if_interrupted, &encode_reply, &decode_reply};

MpiBackend& load_backend() {
  const auto factory = reinterpret_cast<MpiFactory>(sim::load_module_symbol(
      mpi_module_path(), kMpiFactory, "MPI", "mpirun needs it: rebuild, or reinstall with cmake --install"));
  return *factory(&kHost);
}

}  // namespace

std::string mpi_module_path() { return sim::sibling_module_path("ridgepoint-mpi.so", "MPI"); }

MpiBackend& mpi_backend() {
  static MpiBackend& backend = load_backend();  // thread-safe once; a failed load throws and is tried again
  return backend;
}

std::unique_ptr<JobPool> make_mpi_pool(int ranks) { return mpi_backend().make_pool(ranks); }

void serve_mpi_jobs(const Job& job) { mpi_backend().serve(job); }

}  // namespace rp::run
