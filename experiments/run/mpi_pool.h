#pragma once
// `mpirun -np N ridgepoint run nas.yaml`: rank 0 runs the search and sends each candidate to be trained to ranks
// 1..N-1 (one at a time per rank); the other ranks only train. Same contract as WorkerPool::run, so the table is
// the same as a serial run's. MPI must already be initialised (experiments/runner/mpi_context.h in the CLI).
#include <functional>
#include <string>
#include <vector>

namespace rp::nas {

class MpiPool {
 public:
  explicit MpiPool(int ranks);
  ~MpiPool();  // tells every worker rank to stop
  MpiPool(const MpiPool&) = delete;
  MpiPool& operator=(const MpiPool&) = delete;
  void run(const std::vector<std::string>& requests, const std::function<void(size_t, const std::string&)>& done);

 private:
  int ranks_;
};

// The loop of ranks 1..N-1: train what rank 0 sends until it says stop.
void mpi_worker_loop(const std::function<std::string(const std::string&)>& job);

}  // namespace rp::nas
