#pragma once
// MPI for `mpirun -np N ridgepoint run ...`: initialised only when the process was started by an MPI launcher
// (OpenMPI's OMPI_COMM_WORLD_SIZE, or PMI_SIZE / PMIX_RANK, is set: the launcher's own contract, which changes
// only how the work is split, never the results). Otherwise rank 0 of 1 and MPI is not touched.
namespace rp::run {

class MpiContext {
 public:
  MpiContext(int* argc, char*** argv);
  ~MpiContext();
  MpiContext(const MpiContext&) = delete;
  MpiContext& operator=(const MpiContext&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool active() const { return active_; }
  void barrier() const;
  // Aborts every rank (after an error on one of them, so the others do not wait forever at a barrier).
  void abort(int code) const;

 private:
  int rank_ = 0, size_ = 1;
  bool active_ = false;
};

}  // namespace rp::run
