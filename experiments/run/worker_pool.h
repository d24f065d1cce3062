#pragma once
// --jobs N: N forked worker processes, each running `job(request) -> reply` on one-line text messages over pipes.
// The pool forks at construction, so the caller creates it before touching LibTorch or SystemC in the parent
// (OpenMP and SystemC state must not be shared across fork); the children inherit the already loaded data set.
// A job that throws sends its message back and run() throws SimulationError with it. Workers die with the parent
// process, even when it is killed with kill -9 (experiments/runner/worker_process.h).
#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace rp::nas {

class WorkerPool {
 public:
  using Job = std::function<std::string(const std::string& request)>;
  WorkerPool(int workers, Job job);
  ~WorkerPool();  // closes the request pipes (the workers exit) and reaps the workers
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs every request, at most one per worker at a time; done(index, reply) is called in completion order.
  void run(const std::vector<std::string>& requests, const std::function<void(size_t, const std::string&)>& done);
  int size() const { return static_cast<int>(workers_.size()); }

 private:
  struct Worker {
    pid_t pid = -1;
    int to = -1, from = -1;  // request pipe (write end), reply pipe (read end)
    std::string buffer;
  };
  std::vector<Worker> workers_;
};

}  // namespace rp::nas
