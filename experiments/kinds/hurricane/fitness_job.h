#pragma once
// The job of a HURRICANE run's pool (experiments/run/job_pool.h): a candidate's fitness, its supernet accuracy with
// inherited weights, scored in this process, in --jobs forked workers or on MPI ranks 1..N-1. A request is one
// JSON line naming the supernet's weight file in the run's directory, the space (ops per layer), the proxy width,
// the path and the scoring sizes; a worker reads the weight file and builds the supernet once per (file, space)
// and keeps it. The reply is the accuracy printed exactly (run::exact_number), so a table never depends on where a
// candidate was scored.
#include <memory>
#include <string>

#include "experiments/run/side_files.h"
#include "nas/hurricane/candidates.h"
#include "traces/data/fashion_mnist.h"

namespace rp::kinds {

struct FitnessRequest {
  std::string weights;  // path of the weight file (Supernet::save_weights) in the run's directory
  hurricane::Choices choices;
  double width = 0.25;
  hurricane::Arch arch;
  int64_t val_images = 2000, bn_images = 1000;
  std::string encode() const;
  static FitnessRequest decode(const std::string& line);  // std::runtime_error on a malformed line
};

// A worker: keeps the last supernet it loaded. `output`: the run's output (its side files hold the weights).
class FitnessWorker {
 public:
  FitnessWorker(const traces::FashionMnist& data, const std::string& output) : data_(data), files_(output) {}
  std::string operator()(const std::string& request);

 private:
  const traces::FashionMnist& data_;
  run::SideFiles files_;
  std::string key_;
  std::unique_ptr<hurricane::Supernet> net_;
};

}  // namespace rp::kinds
