#include "experiments/run/mpi_context.h"

#include <mpi.h>

#include <cstdlib>

namespace rp::run {

MpiContext::MpiContext(int* argc, char*** argv) {
  const bool launched = std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
  if (!launched) return;
  MPI_Init(argc, argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  active_ = true;
}

MpiContext::~MpiContext() {
  if (active_) MPI_Finalize();
}

void MpiContext::barrier() const {
  if (active_) MPI_Barrier(MPI_COMM_WORLD);
}

void MpiContext::abort(int code) const {
  if (active_) MPI_Abort(MPI_COMM_WORLD, code);
}

}  // namespace rp::run
