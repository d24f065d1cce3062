#include "experiments/run/mpi_context.h"

#include <cstdlib>

#include "experiments/run/mpi_seam.h"

namespace rp::run {

MpiContext::MpiContext(int* argc, char*** argv) {
  const bool launched = std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
  if (!launched) return;  // no MPI library is loaded (mpi_seam.h)
  mpi_backend().init(argc, argv, rank_, size_);
  active_ = true;
}

MpiContext::~MpiContext() {
  if (active_) mpi_backend().finalize();
}

void MpiContext::barrier() const {
  if (active_) mpi_backend().barrier();
}

void MpiContext::abort(int code) const {
  if (active_) mpi_backend().abort(code);
}

}  // namespace rp::run
